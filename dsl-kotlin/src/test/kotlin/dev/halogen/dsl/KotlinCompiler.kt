package dev.halogen.dsl

import dev.halogen.Func
import org.jetbrains.kotlin.cli.common.arguments.K2JVMCompilerArguments
import org.jetbrains.kotlin.cli.common.messages.CompilerMessageSeverity
import org.jetbrains.kotlin.cli.common.messages.CompilerMessageSourceLocation
import org.jetbrains.kotlin.cli.common.messages.MessageCollector
import org.jetbrains.kotlin.cli.jvm.K2JVMCompiler
import org.jetbrains.kotlin.config.Services
import java.io.File
import java.nio.file.Files
import java.nio.file.Path
import kotlin.io.path.writeText

/** A compile error: where it is (1-based) and the message, which starts with `[DIAGNOSTIC_NAME]`. */
data class CompileError(val file: String, val line: Int, val column: Int, val message: String)

/**
 * Compiles Kotlin sources (file name to text) in this JVM with the Kotlin compiler of the build, against
 * the DSL, the front end, the IR model and the standard library as this test run loaded them, and
 * returns the errors. Diagnostics carry their internal names (`-Xrender-internal-diagnostic-names`) so
 * that tests can match the kind of error, not only its wording.
 */
fun compileKotlin(sources: Map<String, String>): List<CompileError> {
    val dir = Files.createTempDirectory("dsl-compile")
    try {
        val files = sources.map { (name, text) -> dir.resolve(name).also { it.writeText(text) }.toString() }
        val arguments = K2JVMCompilerArguments().apply {
            noStdlib = true
            noReflect = true
            classpath = classpathOf(DslPipeline::class.java, Func::class.java, dev.halogen.ir.Type::class.java,
                Unit::class.java, org.jspecify.annotations.NullMarked::class.java)
            destination = dir.resolve("classes").toString()
            jvmTarget = "25"
            renderInternalDiagnosticNames = true
            freeArgs = files
        }
        val errors = mutableListOf<CompileError>()
        val collector = object : MessageCollector {
            override fun clear() = errors.clear()

            override fun hasErrors() = errors.isNotEmpty()

            override fun report(severity: CompilerMessageSeverity, message: String, location: CompilerMessageSourceLocation?) {
                if (!severity.isError) return
                errors += CompileError(location?.path?.let { File(it).name } ?: "", location?.line ?: 0, location?.column ?: 0, message)
            }
        }
        K2JVMCompiler().exec(collector, Services.EMPTY, arguments)
        return errors
    } finally {
        dir.toFile().deleteRecursively()
    }
}

/** The class path entries (directories or jars) the given classes were loaded from. */
private fun classpathOf(vararg classes: Class<*>): String =
    classes.map { Path.of(it.protectionDomain.codeSource.location.toURI()).toString() }.distinct().joinToString(File.pathSeparator)
