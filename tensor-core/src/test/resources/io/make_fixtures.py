#!/usr/bin/env python3
"""Writes the .npy fixtures that NpyTest loads, with NumPy's own writer (np.save / numpy.lib.format).

Run from this directory with Debian's NumPy (apt-get install python3-numpy):  /usr/bin/python3 make_fixtures.py
The values are simple closed forms so the tests can state them; NpyTest lists what each file must load as.
"""
import os

import numpy as np
from numpy.lib import format as npformat

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "npy")
os.makedirs(OUT, exist_ok=True)


def save(name, array):
    np.save(os.path.join(OUT, name + ".npy"), array, allow_pickle=False)


def save_version(name, array, version):
    with open(os.path.join(OUT, name + ".npy"), "wb") as f:
        npformat.write_array(f, array, version=version, allow_pickle=False)


# every dtype gpush saves, in NumPy's C order: Npy.save must reproduce these files byte for byte
save("f4_2x3", (np.arange(6, dtype="<f4") * 0.5 - 1).reshape(2, 3))
save("f8_special", np.array([np.nan, np.inf, -np.inf, -0.0, 1e-300, 1.5], dtype="<f8"))
save("f2_values", np.array([1.0, -2.5, 65504.0, 2.0 ** -24, np.inf], dtype="<f2"))
save("i8_extremes", np.array([-(2 ** 63), -1, 0, 2 ** 62, 2 ** 63 - 1], dtype="<i8"))
save("i4_2x2", np.array([[-2147483648, -7], [0, 2147483647]], dtype="<i4"))
save("b1", np.array([True, False, True], dtype="|b1"))
save("scalar_f4", np.array(3.25, dtype="<f4"))
save("empty_0x3_f4", np.zeros((0, 3), dtype="<f4"))

# types gpush lacks: they load widened
save("u1", np.array([0, 200, 255], dtype="u1"))
save("i1", np.array([-128, -1, 127], dtype="i1"))
save("i2", np.array([-32768, 5, 32767], dtype="<i2"))
save("u2", np.array([0, 40000, 65535], dtype="<u2"))
save("u4", np.array([0, 3000000000, 4294967295], dtype="<u4"))
save("u8_small", np.array([0, 2 ** 63 - 1], dtype="<u8"))
save("u8_too_big", np.array([1, 2 ** 64 - 1], dtype="<u8"))

# layouts and byte orders
save("fortran_f8_2x3x4", np.asfortranarray(np.arange(24, dtype="<f8").reshape(2, 3, 4)))
save("fortran_i4_3x2", np.asfortranarray(np.arange(6, dtype="<i4").reshape(3, 2)))
save("big_endian_f4_3x2", np.arange(6, dtype=">f4").reshape(3, 2) - 2.5)
save("big_endian_i8", np.array([-2, 1, 2 ** 40], dtype=">i8"))
save("big_endian_f8", np.array([0.1, -1e300], dtype=">f8"))
save_version("version2_f4", np.arange(4, dtype="<f4"), (2, 0))
save_version("version3_i4", np.arange(4, dtype="<i4"), (3, 0))

# dtypes gpush refuses
save("complex64", np.array([1 + 2j], dtype="<c8"))
save("unicode", np.array(["ab"], dtype="<U2"))
