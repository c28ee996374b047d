"""Fits the polynomial behind ExpF32Scalar (fathom.cpu), Fathom's own float32 exp.

e^r ~ 1 + r + r^2 * P(r) on |r| <= ln2/2 (widened a little for the rounding of r), P of degree 4,
minimizing the maximum relative error by Lawson's iteratively reweighted least squares on Chebyshev
nodes. Prints the fit error and the float32 coefficients (lowest degree first, r^2 up to r^6).
Needs numpy: python3 reference/exp_f32_fit.py
"""
import numpy as np

DEGREE = 4
R_MAX = 0.3466


def main():
    k = np.arange(4000)
    r = R_MAX * np.cos(np.pi * (k + 0.5) / len(k))
    exact = np.exp(r)
    target = np.expm1(r) - r  # the part the polynomial supplies: e^r - 1 - r
    vander = np.vander(r, DEGREE + 1, increasing=True) * (r * r)[:, None]
    weights = np.ones_like(r)
    for _ in range(60):
        scale = np.sqrt(weights) / exact
        coef = np.linalg.lstsq(vander * scale[:, None], target * scale, rcond=None)[0]
        err = np.abs((vander @ coef - target) / exact)
        weights = weights * err
        weights /= weights.sum()
    print("max relative fit error", err.max(), "=", err.max() / 2.0 ** -24, "ulp of 1 - 0")
    cf = coef.astype(np.float32)
    err32 = np.abs((vander @ cf.astype(np.float64) - target) / exact)
    print("with float32 coefficients", err32.max())
    print("coefficients", ", ".join(repr(float(v)) + "f" for v in cf))


if __name__ == "__main__":
    main()
