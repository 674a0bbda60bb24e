"""A model mixing ops the Vulkan delegate runs with ops it does not: the graph is split into GPU
partitions and CPU ops, the report says so, the result equals the CPU's; limits make the
delegate decline."""

from __future__ import annotations

import logging

import numpy as np
from helpers import make_model
from onnx import helper
from vk_compare import FP32_REL, GPU_OPTIONS, rel_error

import mote


def _mixed_model(rng: np.random.Generator) -> bytes:
    """Conv-Relu | Slice (CPU) | Conv-Sigmoid | LayerNormalization (CPU) | Gemm-Softmax."""
    w1 = (rng.standard_normal((8, 3, 3, 3)) / 5).astype(np.float32)
    w2 = (rng.standard_normal((6, 8, 3, 3)) / 8).astype(np.float32)
    nodes = [
        helper.make_node("Conv", ["x", "w1"], ["c1"], pads=[1, 1, 1, 1], name="conv1"),
        helper.make_node("Relu", ["c1"], ["r1"], name="relu1"),
        helper.make_node("Slice", ["r1", "starts", "ends", "axes"], ["s1"], name="crop"),
        helper.make_node("Conv", ["s1", "w2"], ["c2"], name="conv2"),
        helper.make_node("Sigmoid", ["c2"], ["g2"], name="gate"),
        helper.make_node("Flatten", ["g2"], ["f"], axis=1, name="flat"),
        helper.make_node("LayerNormalization", ["f", "ln_s", "ln_b"], ["n"], axis=-1, name="norm"),
        helper.make_node("Gemm", ["n", "wf", "bf"], ["logits"], transB=1, name="fc"),
        helper.make_node("Softmax", ["logits"], ["y"], axis=-1, name="probs"),
    ]
    flat = 6 * 4 * 4
    inits = {
        "w1": w1, "w2": w2,
        "starts": np.array([1, 1], np.int64), "ends": np.array([7, 7], np.int64), "axes": np.array([2, 3], np.int64),
        "ln_s": np.ones(flat, np.float32), "ln_b": np.zeros(flat, np.float32),
        "wf": (rng.standard_normal((10, flat)) / 10).astype(np.float32), "bf": np.zeros(10, np.float32),
    }
    return bytes(mote.convert(make_model(nodes, {"x": (1, 3, 8, 8)}, ["y"], inits)))


def test_mixed_model_is_partitioned(rng: np.random.Generator, vulkan_device: str, caplog) -> None:
    data = _mixed_model(rng)
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    want = mote.load(data).run({"x": x})["y"]
    with caplog.at_level(logging.INFO, logger="mote"):
        gpu = mote.load(data, delegate="vulkan", delegate_options=GPU_OPTIONS)
    report = gpu.delegate_report
    placement = gpu.node_placement()
    assert any(placement) and not all(placement), report
    # the report: device, counts, partitions and the CPU ops by op and node name
    assert report.startswith(f"vulkan ({vulkan_device}): {sum(placement)} of {len(placement)} ops in ")
    assert f"cpu: {placement.count(False)} ops" in report
    assert "'crop'" in report and "LAYER_NORM 'norm'" in report, report
    parts = sum(1 for i, p in enumerate(placement) if p and (i == 0 or not placement[i - 1]))
    assert parts >= 3 and f"in {parts} partitions" in report, report
    # and the load logged it
    assert any("vulkan" in r.getMessage() and "partitions" in r.getMessage() for r in caplog.records)
    for _ in range(2):
        got = gpu.run({"x": x})["y"]
        assert rel_error(got, want) <= FP32_REL


def test_delegate_declines_beyond_limits(rng: np.random.Generator, vulkan_device: str) -> None:
    data = _mixed_model(rng)
    x = rng.standard_normal((1, 3, 8, 8)).astype(np.float32)
    want = mote.load(data).run({"x": x})["y"]
    for options in ({"max_partitions": 1}, {"min_ops": 1000}):
        m = mote.load(data, delegate="vulkan", delegate_options={**GPU_OPTIONS, **options})
        assert m.delegate_report == f"cpu: all {len(m.node_placement())} ops", (options, m.delegate_report)
        assert not any(m.node_placement())
        np.testing.assert_array_equal(m.run({"x": x})["y"], want)


def test_resize_input_offers_the_graph_again(rng: np.random.Generator, vulkan_device: str) -> None:
    """After a resize the partitions are prepared again for the new shapes."""
    from model_zoo import mobilenet_block

    data = bytes(mote.convert(mobilenet_block(rng)))
    gpu = mote.load(data, delegate="vulkan", delegate_options=GPU_OPTIONS)
    cpu = mote.load(data)
    name = gpu.inputs[0].name
    shape = list(gpu.inputs[0].shape)
    shape[0] = 3
    gpu.resize_input(name, shape)
    cpu.resize_input(name, shape)
    assert all(gpu.node_placement()), gpu.delegate_report
    x = rng.standard_normal(shape).astype(np.float32)
    want, got = cpu.run({name: x}), gpu.run({name: x})
    for k in want:
        assert got[k].shape == want[k].shape
        assert rel_error(got[k], want[k]) <= FP32_REL


def test_clones_share_the_delegate(rng: np.random.Generator, vulkan_device: str) -> None:
    from model_zoo import lenet

    data = bytes(mote.convert(lenet(rng)))
    gpu = mote.load(data, delegate="vulkan", delegate_options=GPU_OPTIONS)
    twin = gpu.clone()
    assert twin.delegate_report == gpu.delegate_report
    x = rng.standard_normal(gpu.inputs[0].shape).astype(np.float32)
    a, b = gpu.run(x), twin.run(x)
    for k in a:
        np.testing.assert_array_equal(a[k], b[k])
    gpu.close()
    assert twin.run(x).keys() == a.keys()  # the shared device outlives the first model


def test_pipeline_cache_file(rng: np.random.Generator, vulkan_device: str, tmp_path) -> None:
    """pipeline_cache_path: compiled pipelines are saved when the delegate goes and read back next time."""
    import subprocess
    import sys

    from model_zoo import lenet

    model = tmp_path / "lenet.mote"
    model.write_bytes(bytes(mote.convert(lenet(rng))))
    cache = tmp_path / "pipelines.bin"
    child = ("import sys, numpy as np, mote\n"
             "m = mote.load(sys.argv[1], delegate='vulkan', delegate_options={'allow_cpu_device': True, "
             "'required': True, 'pipeline_cache_path': sys.argv[2]})\n"
             "print(m.run(np.ones(m.inputs[0].shape, np.float32))['logits'].sum())\n")
    runs = [subprocess.run([sys.executable, "-c", child, str(model), str(cache)], capture_output=True, text=True,
                           timeout=300) for _ in range(2)]
    for r in runs:
        assert r.returncode == 0, r.stderr
    assert cache.stat().st_size > 0
    assert runs[0].stdout == runs[1].stdout
    # a corrupt cache file is ignored (the driver validates it), not an error
    cache.write_bytes(b"not a pipeline cache" * 10)
    r = subprocess.run([sys.executable, "-c", child, str(model), str(cache)], capture_output=True, text=True,
                       timeout=300)
    assert r.returncode == 0 and r.stdout == runs[0].stdout, r.stderr
