import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Who is at the keyboard, for the audit trail: $USER, else $LOGNAME, else the account name.
public enum Operator {
    public static let name: String = {
        let environment = ProcessInfo.processInfo.environment
        for key in ["USER", "LOGNAME"] { if let v = environment[key], !v.isEmpty { return v } }
        if let entry = getpwuid(getuid()), let name = entry.pointee.pw_name { return String(cString: name) }
        return "uid \(getuid())"
    }()
}
