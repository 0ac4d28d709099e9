import ArgumentParser
import Foundation
import DeskCore

/// `quotedesk params`: lists every live parameter with its default, range and meaning.
struct Params: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the live parameters with their defaults and allowed ranges.")

    func run() {
        for param in Param.allCases {
            let spec = param.spec
            let scope = spec.scope == .global ? " (all instruments)" : ""
            print("\(spec.name.padding(toLength: 20, withPad: " ", startingAt: 0)) \(spec.format(spec.defaultValue).padding(toLength: 12, withPad: " ", startingAt: 0)) \(spec.rangeText)\(scope)")
            print("    \(spec.doc)")
        }
    }
}
