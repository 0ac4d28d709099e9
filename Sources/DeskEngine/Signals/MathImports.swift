// The C math functions (exp, exp2, log, pow) used by signals and strategies.
#if canImport(Glibc)
@_exported import Glibc
#elseif canImport(Darwin)
@_exported import Darwin
#endif
