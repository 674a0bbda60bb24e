"""Per-call overhead of mote's Python API on a tiny ADD model, next to ONNX Runtime.

    python pybindings/benchmarks/call_overhead.py [--calls 20000]

Prints the median time of one call (timed one by one, perf_counter_ns) for
mote.Model.run, the LiteRT-style Interpreter flow, the bare invoke, ORT's
InferenceSession.run and, if ai-edge-litert is installed, LiteRT's Interpreter
on the same ADD built as .tflite; interleaved in rounds in one process.
"""

from __future__ import annotations

import argparse
import statistics
import time
from typing import Callable

import numpy as np
import onnx
import onnxruntime as ort
from onnx import TensorProto, helper, numpy_helper

import mote


def tiny_add() -> onnx.ModelProto:
    graph = helper.make_graph(
        [helper.make_node("Add", ["x", "c"], ["y"])], "tiny",
        [helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 4])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 4])],
        initializer=[numpy_helper.from_array(np.ones((1, 4), np.float32), "c")])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid("", 17)], ir_version=8)


def litert_case(x: np.ndarray) -> Callable[[], object] | None:
    """LiteRT's set/invoke/get on a tiny ADD .tflite (built with its bundled schema), or None."""
    try:
        import flatbuffers
        from ai_edge_litert import schema_py_generated as s
        from ai_edge_litert.interpreter import Interpreter
    except ImportError:
        return None
    m = s.ModelT()
    m.version = 3
    code = s.OperatorCodeT()
    code.builtinCode = code.deprecatedBuiltinCode = s.BuiltinOperator.ADD
    code.version = 1
    m.operatorCodes = [code]
    const = s.BufferT()
    const.data = np.ones(4, np.float32).view(np.uint8).tolist()
    m.buffers = [s.BufferT(), const]

    def tensor(name: str, buf: int) -> object:
        t = s.TensorT()
        t.name, t.shape, t.type, t.buffer = name, [1, 4], s.TensorType.FLOAT32, buf
        return t

    sg = s.SubGraphT()
    sg.tensors = [tensor("x", 0), tensor("c", 1), tensor("y", 0)]
    sg.inputs, sg.outputs = [0], [2]
    op = s.OperatorT()
    op.opcodeIndex, op.inputs, op.outputs = 0, [0, 1], [2]
    op.builtinOptionsType, op.builtinOptions = s.BuiltinOptions.AddOptions, s.AddOptionsT()
    sg.operators = [op]
    m.subgraphs = [sg]
    b = flatbuffers.Builder(1024)
    b.Finish(m.Pack(b), file_identifier=b"TFL3")
    it = Interpreter(model_content=bytes(b.Output()), num_threads=1)
    it.allocate_tensors()
    i, o = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]

    def run() -> object:
        it.set_tensor(i, x)
        it.invoke()
        return it.get_tensor(o)

    np.testing.assert_array_equal(run(), x + 1)
    return run


def per_call_ns(fn: Callable[[], object], calls: int) -> list[int]:
    for _ in range(min(1000, calls)):
        fn()
    out = []
    clock = time.perf_counter_ns
    for _ in range(calls):
        t0 = clock()
        fn()
        out.append(clock() - t0)
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--calls", type=int, default=20000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    onnx_model = tiny_add()
    x = np.arange(4, dtype=np.float32).reshape(1, 4)
    model = mote.load(mote.convert(onnx_model))
    it = mote.Interpreter(model_content=mote.convert(onnx_model))
    in_idx, out_idx = it.get_input_details()[0]["index"], it.get_output_details()[0]["index"]
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_model.SerializeToString(), opts, providers=["CPUExecutionProvider"])
    np.testing.assert_array_equal(model.run(x)["y"], sess.run(None, {"x": x})[0])

    def interp_flow() -> object:
        it.set_tensor(in_idx, x)
        it.invoke()
        return it.get_tensor(out_idx)

    lib, handle = model._lib, model._interp
    cases: dict[str, Callable[[], object]] = {
        "mote Model.run(dict)": lambda: model.run({"x": x}),
        "mote Model(x)": lambda: model(x),
        "mote Interpreter set/invoke/get": interp_flow,
        "mote bare C invoke (cffi)": lambda: lib.mote_interpreter_invoke(handle),
        "onnxruntime sess.run": lambda: sess.run(["y"], {"x": x}),
    }
    litert = litert_case(x)
    if litert is not None:
        cases["LiteRT Interpreter set/invoke/get"] = litert
    results: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.rounds):
        for name, fn in cases.items():
            results[name].append(statistics.median(per_call_ns(fn, args.calls)) / 1000)
    print(f"median per call over {args.calls} calls, best of {args.rounds} rounds (µs):")
    for name, meds in results.items():
        print(f"  {name:34s} {min(meds):7.2f}   (rounds: {', '.join(f'{m:.2f}' for m in meds)})")


if __name__ == "__main__":
    main()
