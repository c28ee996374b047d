package fathom.nn;

import java.math.BigDecimal;

/** Values printed as Python's {@code repr} prints them, so that layers' {@code toString} reads like PyTorch's module repr. */
final class PythonRepr {
    private PythonRepr() {}

    /** A float as Python prints it: shortest round-trip digits, {@code 0.1}, {@code 2.0}, {@code 1e-05}, {@code 1e+16}, {@code inf}, {@code nan}. */
    static String number(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return 1 / v < 0 ? "-0.0" : "0.0";
        }
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exponent = digits.length() - 1 - d.scale(); // the power of ten of the leading digit
        String sign = v < 0 ? "-" : "";
        if (exponent >= -4 && exponent < 16) {
            String plain = d.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mantissa = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mantissa + "e" + (exponent < 0 ? "-" : "+") + String.format("%02d", Math.abs(exponent));
    }

    /** {@code True} or {@code False}. */
    static String bool(boolean b) {
        return b ? "True" : "False";
    }

    /** One value as Python prints an int, several as a tuple: {@code 2}, {@code (2, 3)}. */
    static String ints(int[] v) {
        if (v.length == 1) {
            return Integer.toString(v[0]);
        }
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            sb.append(i > 0 ? ", " : "").append(v[i]);
        }
        return sb.append(')').toString();
    }
}
