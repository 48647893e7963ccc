package dev.halogen.ir;

/** One loop of a stage's loop nest: its variable, how it runs, and whether it iterates a reduction variable. */
public record Dim(String var, ForKind kind, DeviceApi deviceApi, boolean isRVar) {
  public Dim {
    Check.name(var, "Dim variable");
    Check.notNull(kind, "Dim kind");
    Check.notNull(deviceApi, "Dim device API");
  }

  public Dim withKind(ForKind newKind, DeviceApi newDeviceApi) {
    return new Dim(var, newKind, newDeviceApi, isRVar);
  }
}
