extension Duration {
    /// The duration in seconds, fractions included: what a person reads and JSON carries.
    public var seconds: Double {
        let (whole, attoseconds) = components
        return Double(whole) + Double(attoseconds) / 1e18
    }
}
