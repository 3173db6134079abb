/**
 * Mixed int/double arithmetic.
 *
 * CEL has no implicit conversion between int and double for + - * /. Kubernetes gets away with
 * that because its schemas say which fields are int; our values come from JSON and Prometheus,
 * where 0 errors per second arrives as an integer-valued number and so as an `int`, and
 * `value > 2.0 * baseline` would then fail with "no matching overload" exactly when the canary
 * is healthiest. These overloads compute such mixes as doubles. Comparisons need nothing: CEL
 * (and @bufbuild/cel) already compare int, uint and double across types.
 *
 * This is the one place we accept more than Kubernetes: `object.spec.replicas * 0.5` works here and
 * is a compile error in a ValidatingAdmissionPolicy. Compile with `mixedArithmetic: false` to get
 * the Kubernetes behaviour.
 */
import { CelScalar, celFunc, type CelFunc } from '@bufbuild/cel'

const { INT, DOUBLE } = CelScalar

const OPERATORS: Record<string, (a: number, b: number) => number> = {
  '_+_': (a, b) => a + b,
  '_-_': (a, b) => a - b,
  '_*_': (a, b) => a * b,
  '_/_': (a, b) => a / b
}

/** The `(int, double)` and `(double, int)` overloads of + - * /, computed as doubles. */
export const mixedArithmetic: CelFunc[] = Object.entries(OPERATORS).flatMap(([name, op]) => [
  celFunc(name, [INT, DOUBLE], DOUBLE, (a, b) => op(Number(a), b)),
  celFunc(name, [DOUBLE, INT], DOUBLE, (a, b) => op(a, Number(b)))
])
