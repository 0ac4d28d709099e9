@testable import DeskCore
import Testing

/// Numbers in journal and log lines read as a person writes them.
@Suite struct EngineEventTextTests {
    @Test func zeroIsNeverNegativeAndSmallValuesAreNotRoundedAway() {
        #expect(EngineEvent.number(-0.0) == "0")
        #expect(EngineEvent.number(0) == "0")
        #expect(EngineEvent.number(12.5) == "12.5")
        #expect(EngineEvent.number(-3.14159) == "-3.1416")
        #expect(EngineEvent.number(-0.00001) == "-1e-05")
    }
}
