import CTorch

extension Torch {
    /// A device's generator state (CPU by default), to save in a checkpoint so a resumed run draws
    /// the same numbers. CUDA draws (dropout on the GPU) come from the GPU's own generator.
    public static func randomState(of device: Device = .cpu) throws -> Tensor {
        try wrap(lk_get_rng_state(device.type, device.index))
    }

    public static func setRandomState(_ state: Tensor, of device: Device = .cpu) throws {
        try check(lk_set_rng_state(device.type, device.index, state.handle))
    }

    /// Runs `body` under automatic mixed precision on `device`, like `torch.autocast`: matmuls and
    /// convolutions in `dtype` (bfloat16 or float16), reductions and losses in float32.
    public static func withAutocast<R>(on device: Device, dtype: DType = .bfloat16, _ body: () throws -> R) throws -> R {
        try check(lk_set_autocast(device.type, 1, dtype.c))
        defer { lk_set_autocast(device.type, 0, dtype.c) }
        return try body()
    }
}
