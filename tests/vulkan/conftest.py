"""The Vulkan delegate suites run on whatever Vulkan device the machine has; in CI that is
Mesa's lavapipe (software Vulkan, Debian `mesa-vulkan-drivers`, installed by .ci/run), which
the delegate only uses when allowed explicitly (allow_cpu_device)."""

from __future__ import annotations

import warnings

import pytest

GPU_OPTIONS = {"allow_cpu_device": True, "required": True}


@pytest.fixture(scope="session")
def vulkan_device() -> str:
    """The device the delegate picked; fails (never skips) when there is none, with the fix."""
    import mote
    from mote.runtime.delegate import get_delegate

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        try:
            d = get_delegate("vulkan", dict(GPU_OPTIONS))
        except mote.MoteError as exc:
            pytest.fail(f"no Vulkan device for the delegate tests ({exc}); install a Vulkan driver, e.g. "
                        f"`apt-get install mesa-vulkan-drivers libvulkan1` (lavapipe)")
    assert d is not None
    return d.device
