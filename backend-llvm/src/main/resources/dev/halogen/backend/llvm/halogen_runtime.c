/*
 * The run-time support of Halogen's ahead-of-time compiled code (see docs/aot.md and the package
 * documentation of dev.halogen.backend.llvm): parallel loops on POSIX threads, and the messages of
 * failures, written as Halogen's interpreter writes them.
 *
 * The C source generated for a module includes this text after the module's header, with
 * HALOGEN_PAR_FOR defined as the name of the parallel-loop function its generated code calls.
 * Prints (Halide's print and print_when) write their lines to stderr (halogen_print_line).
 * Everything else here is static: each library or object has a runtime of its own, so that two of
 * them in one program do not clash.
 */
#include <inttypes.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define HALOGEN_HIDDEN __attribute__((visibility("hidden")))
#define HALOGEN_EXPORT __attribute__((visibility("default")))
/* A function of the runtime: a module that has no parallel loop or no float in its messages leaves some unused. */
#define HALOGEN_RUNTIME static __attribute__((unused))

/* ------------------------------------------------------------------ parallel loops */

/* The body of a parallel loop: runs iterations lo .. lo + count - 1 in order; returns 0, or nonzero after a failure. */
typedef int32_t (*halogen_task)(void *closure, int32_t lo, int32_t count);

/* Chunks per thread: enough to even out iterations of uneven cost. */
#define HALOGEN_CHUNKS_PER_THREAD 4
/* The most threads the pool starts, whatever HALOGEN_NUM_THREADS or the processor count say. */
#define HALOGEN_MAX_THREADS 256

/*
 * One running parallel loop. It lives on the stack of the thread that runs the loop, which does not
 * return before every chunk is finished. Its counters are guarded by halogen_lock.
 */
typedef struct halogen_job {
  halogen_task task;
  void *closure;
  int32_t min, extent, chunks;
  int32_t next;              /* the first chunk nobody has claimed */
  int32_t finished;          /* chunks run or skipped */
  int32_t result;            /* 0, or the result of the first chunk that failed */
  struct halogen_job *older; /* the next job in the list of jobs with chunks to claim */
} halogen_job;

static pthread_mutex_t halogen_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t halogen_work = PTHREAD_COND_INITIALIZER; /* a job came, or the pool stops */
static pthread_cond_t halogen_done = PTHREAD_COND_INITIALIZER; /* a job's last chunk finished */
static halogen_job *halogen_jobs;                              /* jobs with chunks to claim, newest first */
static pthread_once_t halogen_pool_once = PTHREAD_ONCE_INIT;
static pthread_t *halogen_threads;
static int halogen_workers; /* threads of the pool; the thread that runs a loop works on it too */
static int halogen_stopping;

/* Removes job from the list of jobs with chunks to claim. Lock held. */
static void halogen_unlist(halogen_job *job) {
  for (halogen_job **p = &halogen_jobs; *p != NULL; p = &(*p)->older) {
    if (*p == job) {
      *p = job->older;
      return;
    }
  }
}

/* Claims the next chunk of job, which has one. Lock held. */
static int32_t halogen_claim(halogen_job *job) {
  int32_t chunk = job->next++;
  if (job->next == job->chunks) halogen_unlist(job);
  return chunk;
}

/*
 * Runs claimed chunk c of job (without the lock) unless the job has failed, then counts it
 * finished. After a failure the chunks nobody has claimed are skipped. Lock held on entry and on
 * return; once the last chunk is counted, job may be gone.
 */
static void halogen_run_chunk(halogen_job *job, int32_t c) {
  if (job->result == 0) {
    int32_t lo = (int32_t) ((int64_t) job->extent * c / job->chunks);
    int32_t hi = (int32_t) ((int64_t) job->extent * (c + 1) / job->chunks);
    pthread_mutex_unlock(&halogen_lock);
    int32_t result = job->task(job->closure, job->min + lo, hi - lo);
    pthread_mutex_lock(&halogen_lock);
    if (result != 0 && job->result == 0) {
      job->result = result;
      if (job->next < job->chunks) {
        job->finished += job->chunks - job->next;
        job->next = job->chunks;
        halogen_unlist(job);
      }
    }
  }
  if (++job->finished == job->chunks) pthread_cond_broadcast(&halogen_done);
}

static void *halogen_worker(void *unused) {
  (void) unused;
  pthread_mutex_lock(&halogen_lock);
  for (;;) {
    while (!halogen_stopping && halogen_jobs == NULL) pthread_cond_wait(&halogen_work, &halogen_lock);
    if (halogen_stopping) break;
    halogen_job *job = halogen_jobs; /* the newest: the innermost of nested loops, whose callers wait for it */
    halogen_run_chunk(job, halogen_claim(job));
  }
  pthread_mutex_unlock(&halogen_lock);
  return NULL;
}

/*
 * Starts the pool: HALOGEN_NUM_THREADS threads in all (the environment variable), else one per
 * online processor, counting the thread that runs a loop. When threads cannot be started, loops run
 * on fewer, or serially on the calling thread.
 */
static void halogen_start_pool(void) {
  long threads = 0;
  const char *setting = getenv("HALOGEN_NUM_THREADS");
  if (setting != NULL) threads = strtol(setting, NULL, 10);
  if (threads <= 0) threads = sysconf(_SC_NPROCESSORS_ONLN);
  if (threads > HALOGEN_MAX_THREADS) threads = HALOGEN_MAX_THREADS;
  if (threads <= 1) return;
  halogen_threads = malloc(sizeof(pthread_t) * (size_t) (threads - 1));
  if (halogen_threads == NULL) return;
  while (halogen_workers < threads - 1 && pthread_create(&halogen_threads[halogen_workers], NULL, halogen_worker, NULL) == 0) {
    halogen_workers++;
  }
}

/*
 * The parallel loop of generated code: runs task on chunks of [min, min + extent) that cover it,
 * at the same time on the threads of the pool and on the calling thread, each chunk's iterations in
 * order; returns 0, or the nonzero result of a failing chunk, once every chunk is finished or
 * skipped. The calling thread works only on its own loop's chunks, so loops nested in a loop's body
 * cannot wait for each other in a cycle.
 */
HALOGEN_HIDDEN int32_t HALOGEN_PAR_FOR(halogen_task task, void *closure, int32_t min, int32_t extent) {
  if (extent <= 0) return 0;
  pthread_once(&halogen_pool_once, halogen_start_pool);
  int64_t most = (int64_t) HALOGEN_CHUNKS_PER_THREAD * (halogen_workers + 1);
  int32_t chunks = extent < most ? extent : (int32_t) most;
  if (halogen_workers == 0 || chunks == 1) return task(closure, min, extent);
  halogen_job job = {task, closure, min, extent, chunks, 0, 0, 0, NULL};
  pthread_mutex_lock(&halogen_lock);
  job.older = halogen_jobs;
  halogen_jobs = &job;
  pthread_cond_broadcast(&halogen_work);
  while (job.next < job.chunks) halogen_run_chunk(&job, halogen_claim(&job));
  while (job.finished < job.chunks) pthread_cond_wait(&halogen_done, &halogen_lock);
  pthread_mutex_unlock(&halogen_lock);
  return job.result;
}

/* ------------------------------------------------------------------ failure messages */

/* A message being written: its first cap - 1 bytes go to out, len counts them all. */
typedef struct {
  char *out;
  size_t cap;
  size_t len;
} halogen_text;

HALOGEN_RUNTIME void halogen_text_bytes(halogen_text *t, const char *s, size_t n) {
  if (t->len + 1 < t->cap) {
    size_t room = t->cap - 1 - t->len;
    memcpy(t->out + t->len, s, n < room ? n : room);
  }
  t->len += n;
}

HALOGEN_RUNTIME void halogen_text_str(halogen_text *t, const char *s) {
  halogen_text_bytes(t, s, strlen(s));
}

/* The values of a message are 64-bit words: integers sign- or zero-extended, bools 0 or 1, floats the bits of a float64, handles addresses. */

HALOGEN_RUNTIME void halogen_text_int(halogen_text *t, uint64_t word) {
  char s[24];
  halogen_text_bytes(t, s, (size_t) snprintf(s, sizeof s, "%" PRId64, (int64_t) word));
}

HALOGEN_RUNTIME void halogen_text_uint(halogen_text *t, uint64_t word) {
  char s[24];
  halogen_text_bytes(t, s, (size_t) snprintf(s, sizeof s, "%" PRIu64, word));
}

HALOGEN_RUNTIME void halogen_text_bool(halogen_text *t, uint64_t word) {
  halogen_text_str(t, word != 0 ? "true" : "false");
}

/* A handle as the JIT's Java caller shows it: the text of a java.lang.foreign.MemorySegment of the address (JDK 25). */
HALOGEN_RUNTIME void halogen_text_handle(halogen_text *t, uint64_t word) {
  char s[80];
  halogen_text_bytes(t, s, (size_t) snprintf(s, sizeof s, "MemorySegment{ kind: native, address: 0x%" PRIx64 ", byteSize: 0 }", word));
}

/* digits x 10^scale read as a float64, or as a float32 when single. */
static double halogen_read_decimal(uint64_t digits, int scale, int single) {
  char s[48];
  snprintf(s, sizeof s, "%" PRIu64 "e%d", digits, scale);
  return single ? (double) strtof(s, NULL) : strtod(s, NULL);
}

/*
 * The decimal of n significant digits nearest to v > 0 among those that read back as v (as the
 * float32 v when single), as *digits x 10^*scale; 0 when no decimal of n digits reads back as v.
 */
static int halogen_nearest_decimal(double v, int single, int n, uint64_t *digits, int *scale) {
  char s[48];
  snprintf(s, sizeof s, "%.*e", n - 1, v); /* correctly rounded, ties to even */
  uint64_t d = 0;
  const char *p = s;
  for (; *p != 'e'; p++) {
    if (*p >= '0' && *p <= '9') d = d * 10 + (uint64_t) (*p - '0'); /* skips the decimal point, whatever the locale's is */
  }
  int e = atoi(p + 1) - (n - 1);
  double back = halogen_read_decimal(d, e, single);
  if (back != v) {
    /* Where v is a power of two, the values that read back as v reach less far below it than above:
       the nearest decimal may lie outside them while its neighbour on v's other side lies inside.
       No other decimal of n digits can. */
    uint64_t low = 1; /* 10^(n-1), the least n-digit number */
    for (int i = 1; i < n; i++) low *= 10;
    if (back > v) {
      if (d == low) {
        d = 10 * low - 1;
        e--;
      } else {
        d--;
      }
    } else if (d == 10 * low - 1) {
      d = low;
      e++;
    } else {
      d++;
    }
    if (halogen_read_decimal(d, e, single) != v) return 0;
  }
  *digits = d;
  *scale = e;
  return 1;
}

/*
 * A float as Java's Double.toString writes it (Float.toString when single, for a float64 that holds
 * a float32 value): the shortest decimal that reads back as the value, the nearest of those (for
 * one digit, the nearest of one or two digits), in plain notation from 10^-3 up to below 10^7
 * ("0.001", "1234567.0") and as "1.5E-7" or "1.0E7" outside, with NaN, Infinity, -0.0.
 */
HALOGEN_RUNTIME void halogen_text_real(halogen_text *t, uint64_t word, int single) {
  double v;
  memcpy(&v, &word, sizeof v);
  if (isnan(v)) {
    halogen_text_str(t, "NaN");
    return;
  }
  if (signbit(v)) {
    halogen_text_str(t, "-");
    v = -v;
  }
  if (isinf(v)) {
    halogen_text_str(t, "Infinity");
    return;
  }
  if (v == 0) {
    halogen_text_str(t, "0.0");
    return;
  }
  uint64_t digits;
  int scale;
  int n = 1;
  while (!halogen_nearest_decimal(v, single, n, &digits, &scale)) n++; /* ends: 17 digits always read back */
  if (n == 1) halogen_nearest_decimal(v, single, 2, &digits, &scale);
  while (digits % 10 == 0) {
    digits /= 10;
    scale++;
  }
  char s[24];
  int count = snprintf(s, sizeof s, "%" PRIu64, digits);
  int exponent = scale + count - 1; /* v = s[0].s[1]s[2]... x 10^exponent */
  char out[48];
  int k = 0;
  if (exponent >= -3 && exponent < 7) {
    if (exponent < 0) {
      out[k++] = '0';
      out[k++] = '.';
      for (int i = 0; i < -exponent - 1; i++) out[k++] = '0';
      for (int i = 0; i < count; i++) out[k++] = s[i];
    } else {
      int whole = exponent + 1;
      for (int i = 0; i < whole; i++) out[k++] = i < count ? s[i] : '0';
      out[k++] = '.';
      if (count <= whole) out[k++] = '0';
      for (int i = whole; i < count; i++) out[k++] = s[i];
    }
  } else {
    out[k++] = s[0];
    out[k++] = '.';
    if (count == 1) out[k++] = '0';
    for (int i = 1; i < count; i++) out[k++] = s[i];
    k += snprintf(out + k, sizeof out - (size_t) k, "E%d", exponent);
  }
  halogen_text_bytes(t, out, (size_t) k);
}

/* The message of an error code that no site of the entry point has (generated code never stores one). */
HALOGEN_RUNTIME void halogen_text_unknown(halogen_text *t, int32_t code) {
  char s[80];
  halogen_text_bytes(t, s, (size_t) snprintf(s, sizeof s, "the generated code failed with the unknown error code %" PRId32, code));
}

/* Writes the message of the failure with code and words (of the entry point's sites) to t. */
typedef void (*halogen_describe)(halogen_text *t, int32_t code, const uint64_t *words);

/* The last failure's message of each thread: a string from malloc, freed by the next one or when the thread ends. */
static pthread_key_t halogen_error_key;
static pthread_once_t halogen_error_once = PTHREAD_ONCE_INIT;
static int halogen_error_key_made;

static void halogen_make_error_key(void) {
  halogen_error_key_made = pthread_key_create(&halogen_error_key, free) == 0;
}

/*
 * Keeps the message of the failure in error_area (its int32 code at offset 0, its values from
 * offset 8) as the calling thread's last one. Without memory for it the message is "".
 */
HALOGEN_RUNTIME void halogen_record_failure(halogen_describe describe, const uint64_t *error_area) {
  int32_t code;
  memcpy(&code, error_area, sizeof code);
  pthread_once(&halogen_error_once, halogen_make_error_key);
  if (!halogen_error_key_made) return;
  halogen_text measure = {NULL, 0, 0};
  describe(&measure, code, error_area + 1);
  char *message = malloc(measure.len + 1);
  if (message != NULL) {
    halogen_text t = {message, measure.len + 1, 0};
    describe(&t, code, error_area + 1);
    message[measure.len] = '\0';
  }
  free(pthread_getspecific(halogen_error_key));
  pthread_setspecific(halogen_error_key, message);
}

HALOGEN_RUNTIME const char *halogen_last_error(void) {
  pthread_once(&halogen_error_once, halogen_make_error_key);
  const char *message = halogen_error_key_made ? pthread_getspecific(halogen_error_key) : NULL;
  return message != NULL ? message : "";
}

/* ------------------------------------------------------------------ prints */

/*
 * Writes the line of a print: the message of site with its words (made by describe, as a failure's
 * message is), then a newline, to stderr in one fwrite, which POSIX makes whole among the threads'
 * lines. Without memory for the line nothing is written.
 */
HALOGEN_RUNTIME void halogen_print_line(halogen_describe describe, int32_t site, const uint64_t *words) {
  halogen_text measure = {NULL, 0, 0};
  describe(&measure, site, words);
  char *line = malloc(measure.len + 2);
  if (line == NULL) return;
  halogen_text t = {line, measure.len + 1, 0};
  describe(&t, site, words);
  line[measure.len] = '\n';
  fwrite(line, 1, measure.len + 1, stderr);
  free(line);
}

/* ------------------------------------------------------------------ unloading */

/*
 * When the library is unloaded (or the program ends), the pool's threads stop, after the chunks
 * they run, so that none runs code that is gone.
 */
__attribute__((destructor)) static void halogen_unload(void) {
  pthread_mutex_lock(&halogen_lock);
  halogen_stopping = 1;
  pthread_cond_broadcast(&halogen_work);
  pthread_mutex_unlock(&halogen_lock);
  for (int i = 0; i < halogen_workers; i++) pthread_join(halogen_threads[i], NULL);
  free(halogen_threads);
  halogen_threads = NULL;
  halogen_workers = 0;
  if (halogen_error_key_made) pthread_key_delete(halogen_error_key);
  halogen_error_key_made = 0;
}
