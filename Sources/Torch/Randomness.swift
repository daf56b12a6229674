import CTorch

extension Torch {
    /// The CPU generator's full state, to save in a checkpoint so a resumed run draws the same numbers.
    public static func randomState() throws -> Tensor { try wrap(lk_get_rng_state()) }

    public static func setRandomState(_ state: Tensor) throws { try check(lk_set_rng_state(state.handle)) }

    /// Runs `body` under automatic mixed precision on `device`, like `torch.autocast`: matmuls and
    /// convolutions in `dtype` (bfloat16 or float16), reductions and losses in float32.
    public static func withAutocast<R>(on device: Device, dtype: DType = .bfloat16, _ body: () throws -> R) throws -> R {
        try check(lk_set_autocast(device.type, 1, dtype.c))
        defer { lk_set_autocast(device.type, 0, dtype.c) }
        return try body()
    }
}
