/// A rectangle of the screen, in cells.
public struct Rect: Equatable, Sendable {
    public var x: Int, y: Int, width: Int, height: Int
    public init(x: Int, y: Int, width: Int, height: Int) {
        self.x = x; self.y = y; self.width = width; self.height = height
    }
    public var maxX: Int { x + width }
    public var maxY: Int { y + height }
    public func intersects(_ o: Rect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
}

/// The panels an operator can focus, in Tab order.
public enum PanelID: String, CaseIterable, Sendable {
    case ladder, quotes, inventory, pnl, breakers, parameters, orders, log, instruments

    public var title: String {
        switch self {
        case .ladder: "Ladder"
        case .quotes: "Quotes"
        case .inventory: "Inventory"
        case .pnl: "P&L, whole book"
        case .breakers: "Breakers"
        case .parameters: "Parameters"
        case .orders: "Orders & fills"
        case .log: "Log"
        case .instruments: "Instruments"
        }
    }

    /// The key context of a focused panel.
    public var keyContext: KeyContext {
        switch self {
        case .ladder: .ladder
        case .parameters: .parameters
        default: .global
        }
    }
}

/// Where each panel goes for a terminal size. The ladder, quotes, inventory and P&L are always
/// on screen; the others take dock slots in a fixed order, as many as the size allows, and a
/// focused panel without a slot of its own shows in the last (spare) one. At 80x24 there is
/// one slot, the spare; at 250x70 every panel has its own place.
public enum Layout {
    public static let minimumWidth = 80
    public static let minimumHeight = 24

    /// Panels in the order they take dock slots when there are fewer slots than panels.
    static let docked: [PanelID] = [.log, .breakers, .orders, .instruments, .parameters]

    public static func make(width: Int, height: Int, focus: PanelID) -> [(PanelID, Rect)] {
        let bodyTop = 1, bodyHeight = height - 2
        let ladderWidth = width >= 160 ? 46 : width >= 120 ? 40 : 38
        var placed: [(PanelID, Rect)] = [(.ladder, Rect(x: 0, y: bodyTop, width: ladderWidth, height: bodyHeight))]
        let x = ladderWidth
        var slots: [Rect] = []
        if width >= 160 && height >= 36 {
            // Three columns: ladder | quotes, inventory, P&L, a slot | the other slots.
            let middle = (width - ladderWidth) / 2
            let quotesHeight = 11, inventoryHeight = 7, pnlHeight = 9
            placed.append((.quotes, Rect(x: x, y: bodyTop, width: middle, height: quotesHeight)))
            placed.append((.inventory, Rect(x: x, y: bodyTop + quotesHeight, width: middle, height: inventoryHeight)))
            placed.append((.pnl, Rect(x: x, y: bodyTop + quotesHeight + inventoryHeight, width: middle, height: pnlHeight)))
            let used = quotesHeight + inventoryHeight + pnlHeight
            slots.append(Rect(x: x, y: bodyTop + used, width: middle, height: bodyHeight - used))
            let right = Rect(x: x + middle, y: bodyTop, width: width - x - middle, height: bodyHeight)
            slots += split(right, into: bodyHeight >= 60 ? 4 : 3)
        } else {
            let right = width - x
            let quotesHeight = height >= 34 ? 10 : 7
            let lowerHeight = height >= 34 ? 8 : 7
            placed.append((.quotes, Rect(x: x, y: bodyTop, width: right, height: quotesHeight)))
            let half = right / 2
            placed.append((.inventory, Rect(x: x, y: bodyTop + quotesHeight, width: half, height: lowerHeight)))
            placed.append((.pnl, Rect(x: x + half, y: bodyTop + quotesHeight, width: right - half, height: lowerHeight)))
            let top = bodyTop + quotesHeight + lowerHeight
            let dock = Rect(x: x, y: top, width: right, height: bodyTop + bodyHeight - top)
            let columns = right >= 76 ? 2 : 1
            let rows = dock.height >= 24 ? 2 : 1
            let columnWidth = dock.width / columns
            for c in 0..<columns {
                let column = Rect(x: dock.x + c * columnWidth, y: dock.y, width: c == columns - 1 ? dock.width - c * columnWidth : columnWidth, height: dock.height)
                slots += split(column, into: rows)
            }
        }
        // Panels keep their slots whatever has focus. When there are fewer slots than panels,
        // the last slot is the spare: it shows the focused panel if that has no slot of its
        // own, else the next panel in order. Only the spare's content ever changes.
        guard !slots.isEmpty else { return placed }
        let fixed = min(slots.count - 1, docked.count)
        for i in 0..<fixed { placed.append((docked[i], slots[i])) }
        if fixed < docked.count {
            let spare = docked[fixed...].contains(focus) ? focus : docked[fixed]
            placed.append((spare, slots[fixed]))
        }
        return placed
    }

    /// `rect` cut into `n` rows of about equal height.
    static func split(_ rect: Rect, into n: Int) -> [Rect] {
        let each = rect.height / n
        return (0..<n).map { i in
            Rect(x: rect.x, y: rect.y + i * each, width: rect.width, height: i == n - 1 ? rect.height - i * each : each)
        }
    }
}
