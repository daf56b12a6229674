/// LookKit's version, written into exported models and reports.
public enum LookKitVersion {
    public static let string = "0.1.0"
}
