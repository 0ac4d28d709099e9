/// Why a TOML document was refused, and where: the parser stops at the first one. It is the
/// same thing as a semantic problem found after parsing, so both share one type and report.
public typealias TOMLError = Diagnostic
