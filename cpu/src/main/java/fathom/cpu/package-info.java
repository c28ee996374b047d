/**
 * The fast CPU backend: Vector API kernels, each with a scalar twin, the packed float32 matmul and the
 * shared thread pool.
 *
 * <p>Rules for vector kernels, each learned from a measured failure:
 * <ul>
 * <li>No {@code lanewise} transcendentals where results must not depend on the JIT tier: exp and what
 *     builds on it go through {@link ExpF32Vector}, exactly rounded operations only (the JDK's SVML
 *     exp and C2's tree-shaped {@code reduceLanes(ADD)} differ in the last bit from the interpreter's).
 *     Lane sums are added in a fixed order in the loop itself.</li>
 * <li>No helper that takes or returns vectors after heavy code in a loop: once C2 stops inlining (a
 *     compilation past about 18,000 IR nodes), such a call boxes its vectors on every iteration (the
 *     matmul tile once ran at 5-10 GFLOP/s in half of all JVMs for this reason). Write the code inline
 *     or as a pass over an array chunk.</li>
 * </ul>
 */
package fathom.cpu;
