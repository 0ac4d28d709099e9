/// What some models keep between quotes, built off the hot path: the bounded GLFT table and the
/// learned policy. Handed to a quote beside its context rather than inside it, so the context
/// and the quote setting stay plain values that copy without reference counting.
public struct QuoteModels: Sendable {
    /// The bounded GLFT model's quotes, built when its parameters change.
    public var glftTable: GLFTBounded.Table?
    /// The learned policy, for `strategy = learned`.
    public var policy: PolicyHolder?

    public init(glftTable: GLFTBounded.Table? = nil, policy: PolicyHolder? = nil) {
        self.glftTable = glftTable
        self.policy = policy
    }
}
