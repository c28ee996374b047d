"""Fits the polynomial P(u) behind UnaryF32Scalar.NORMAL_TAIL (fathom.cpu, exact GELU).

P(1 / (1 + c|x|)) = erfc(|x|/sqrt 2) * exp(x^2/2) on |x| <= 14, c = 0.3f, degree 10, minimizing the
maximum relative error by Lawson's iteratively reweighted least squares on Chebyshev nodes in u.
Prints the fit error, the float32 coefficients (lowest degree first) and the error of a float32
Horner evaluation. Needs numpy and mpmath: python3 reference/normal_cdf_fit.py
"""
import mpmath as mp
import numpy as np

mp.mp.dps = 30
C = float(np.float32(0.3))
DEGREE = 10
X_MAX = 14.0


def tail_ratio(x):
    return mp.erfc(x / mp.sqrt(2)) * mp.exp(x * x / 2)


def main():
    u_min = 1 / (1 + C * X_MAX)
    k = np.arange(3000)
    u = (u_min + 1) / 2 + (1 - u_min) / 2 * np.cos(np.pi * (k + 0.5) / len(k))
    x = (1 / u - 1) / C
    y = np.array([float(tail_ratio(mp.mpf(v))) for v in x])
    vander = np.vander(u, DEGREE + 1, increasing=True)
    weights = np.ones_like(u)
    for _ in range(40):
        scale = np.sqrt(weights) / y
        coef = np.linalg.lstsq(vander * scale[:, None], y * scale, rcond=None)[0]
        err = np.abs((vander @ coef - y) / y)
        weights = weights * err
        weights /= weights.sum()
    print("max relative fit error", err.max())
    cf = coef.astype(np.float32)
    print("coefficients", ", ".join(repr(float(v)) + "f" for v in cf))
    xs = np.float32(np.random.default_rng(0).uniform(0, X_MAX, 20000))
    uu = np.float32(1) / (np.float32(1) + np.float32(C) * xs)
    p = np.float32(cf[-1])
    for a in cf[-2::-1]:
        p = np.float32(p * uu + a)
    ref = np.array([float(tail_ratio(mp.mpf(float(v)))) for v in xs])
    print("float32 evaluation: max relative error", np.max(np.abs(p - ref) / ref))


if __name__ == "__main__":
    main()
