import DeskCore
import DeskVenues
import Testing
@testable import DeskRuntime

/// `[venue] kind = "fix"` with `[venue.fix]` and its `[[venue.instrument]]` listings, read
/// with the key names an operator's file uses, and refused where they are wrong.
@Suite struct FIXConfigurationTests {
    static let good = """
        [venue]
        kind = "fix"

        [venue.fix]
        host = "10.0.0.5"
        port = 9876
        sender_comp_id = "DESK1"
        target_comp_id = "VENUE"
        heartbeat_s = 15
        reset_on_logon = true
        credentials_file = "/etc/quotedesk/fix.credentials"

        [[venue.instrument]]
        symbol = "BTCUSDT"
        price_decimals = 2
        tick = 10
        qty_decimals = 3
        lot = 5

        [instrument.BTCUSDT]
        max_position = 40
        """

    @Test func aFIXVenueIsReadWithEveryKey() throws {
        let c = try ConfigurationLoader.load(text: Self.good, file: "q.toml")
        #expect(c.venueKind == .fix)
        let f = c.fix
        #expect(f.host == "10.0.0.5" && f.port == 9876 && f.senderCompID == "DESK1" && f.targetCompID == "VENUE")
        #expect(f.heartbeatSeconds == 15 && f.resetOnLogon && f.credentialsFile == "/etc/quotedesk/fix.credentials")
        #expect(f.listings == [FIXVenueConfig.Listing(instrument: Instrument(symbol: "BTCUSDT", priceDecimals: 2, tickSize: 10, qtyDecimals: 3), lot: 5)])
        #expect(c.instruments.map(\.symbol) == ["BTCUSDT"], "[instrument.SYMBOL] overrides name the FIX listings")
        #expect(c.parameters(for: "BTCUSDT")[.maxPosition] == 40)
        #expect(f.validate() == nil)
    }

    @Test func wrongFIXSettingsAreRefusedWithTheirPlace() {
        let refused = ConfigurationTests().refused
        let noPort = refused(Self.good.replacingOccurrences(of: "port = 9876\n", with: ""))
        #expect(noPort.contains { $0.contains("venue.fix: port is required") }, "\(noPort)")
        let badReset = refused(Self.good.replacingOccurrences(of: "reset_on_logon = true", with: "reset_on_logon = \"yes\""))
        #expect(badReset.contains { $0.hasPrefix("10:18:") && $0.contains("reset_on_logon: expected true or false") }, "\(badReset)")
        let typo = refused(Self.good.replacingOccurrences(of: "heartbeat_s", with: "heartbeat"))
        #expect(typo.contains { $0.contains("unknown key \"heartbeat\"") }, "\(typo)")
        let noInstruments = refused(Self.good.components(separatedBy: "[[venue.instrument]]")[0])
        #expect(noInstruments.contains { $0.contains("a FIX venue needs one or more [[venue.instrument]]") }, "\(noInstruments)")
        let kind = refused(Self.good.replacingOccurrences(of: "kind = \"fix\"", with: "kind = \"ftx\""))
        #expect(kind.contains { $0.contains("kind") }, "\(kind)")
    }
}
