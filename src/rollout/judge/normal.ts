/* eslint-disable no-loss-of-precision -- AS 241 and Cody publish their constants with more digits than a double holds; kept as published */
/**
 * The standard normal distribution: its CDF (W. J. Cody's rational
 * approximations of erfc, as in R and Cephes, relative error below 1e-15)
 * and its quantile (Wichura's AS 241, PPND16, relative error below 1e-16).
 */

const SQRT1_2 = Math.SQRT1_2

/** erfc(x) for x >= 0 by Cody (1969). */
function erfcPositive(x: number): number {
  if (x < 0.5) {
    const a = [
      3.1611237438705655, 113.86415415105016, 377.485237685302, 3209.3775891384694,
      0.18577770618460315
    ]
    const b = [23.601290952344122, 244.02463793444417, 1282.6165260773723, 2844.236833439171]
    const z = x * x
    let num = a[4] * z
    let den = z
    for (let i = 0; i < 3; i++) {
      num = (num + a[i]) * z
      den = (den + b[i]) * z
    }
    return 1 - (x * (num + a[3])) / (den + b[3])
  }
  if (x < 4) {
    const c = [
      0.5641884969886701, 8.883149794388377, 66.11919063714163, 298.635138197400131,
      881.952221241769, 1712.0476126340707, 2051.0783778260716, 1230.3393547979972,
      2.1531153547440383e-8
    ]
    const d = [
      15.744926110709835, 117.6939508913125, 537.1811018620099, 1621.3895745666903,
      3290.7992357334597, 4362.619090143247, 3439.3676741437216, 1230.3393548037495
    ]
    let num = c[8] * x
    let den = x
    for (let i = 0; i < 7; i++) {
      num = (num + c[i]) * x
      den = (den + d[i]) * x
    }
    const r = (num + c[7]) / (den + d[7])
    const xsq = Math.trunc(x * 16) / 16
    const del = (x - xsq) * (x + xsq)
    return Math.exp(-xsq * xsq) * Math.exp(-del) * r
  }
  if (x > 27) return 0
  const p = [
    0.30532663496123236, 0.36034489994980445, 0.12578172611122926, 0.016083785148742275,
    6.587491615298378e-4, 0.016315387137302097
  ]
  const q = [
    2.568520192289822, 1.8729528499234604, 0.5279051029514285, 0.06051834131244132,
    0.0023352049762686918
  ]
  const z = 1 / (x * x)
  let num = p[5] * z
  let den = z
  for (let i = 0; i < 4; i++) {
    num = (num + p[i]) * z
    den = (den + q[i]) * z
  }
  let r = (z * (num + p[4])) / (den + q[4])
  r = (1 / Math.sqrt(Math.PI) - r) / x
  const xsq = Math.trunc(x * 16) / 16
  const del = (x - xsq) * (x + xsq)
  return Math.exp(-xsq * xsq) * Math.exp(-del) * r
}

/** P(Z <= z) for a standard normal Z. */
export function normalCdf(z: number): number {
  if (Number.isNaN(z)) return Number.NaN
  const x = z * SQRT1_2
  return x >= 0 ? 1 - erfcPositive(x) / 2 : erfcPositive(-x) / 2
}

/** P(Z > z), accurate in the far upper tail. */
export function normalSf(z: number): number {
  return normalCdf(-z)
}

/** The z with P(Z <= z) = p (Wichura's AS 241). */
export function normalQuantile(p: number): number {
  if (!(p > 0 && p < 1)) {
    if (p === 0) return Number.NEGATIVE_INFINITY
    if (p === 1) return Number.POSITIVE_INFINITY
    return Number.NaN
  }
  const q = p - 0.5
  if (Math.abs(q) <= 0.425) {
    const r = 0.180625 - q * q
    return (
      (q *
        (((((((r * 2509.0809287301226727 + 33430.575583588128105) * r + 67265.770927008700853) * r +
          45921.953931549871457) *
          r +
          13731.693765509461125) *
          r +
          1971.5909503065514427) *
          r +
          133.14166789178437745) *
          r +
          3.387132872796366608)) /
      (((((((r * 5226.495278852545925 + 28729.085735721942674) * r + 39307.89580009271061) * r +
        21213.794301586595867) *
        r +
        5394.1960214247511077) *
        r +
        687.1870074920579083) *
        r +
        42.313330701600911252) *
        r +
        1)
    )
  }
  let r = q < 0 ? p : 1 - p
  r = Math.sqrt(-Math.log(r))
  let x: number
  if (r <= 5) {
    r -= 1.6
    x =
      (((((((r * 7.7454501427834140764e-4 + 0.0227238449892691845833) * r +
        0.24178072517745061177) *
        r +
        1.27045825245236838258) *
        r +
        3.64784832476320460504) *
        r +
        5.7694972214606914055) *
        r +
        4.6303378461565452959) *
        r +
        1.42343711074968357734) /
      (((((((r * 1.05075007164441684324e-9 + 5.475938084995344946e-4) * r +
        0.0151986665636164571966) *
        r +
        0.14810397642748007459) *
        r +
        0.68976733498510000455) *
        r +
        1.6763848301838038494) *
        r +
        2.05319162663775882187) *
        r +
        1)
  } else {
    r -= 5
    x =
      (((((((r * 2.01033439929228813265e-7 + 2.71155556874348757815e-5) * r +
        0.0012426609473880784386) *
        r +
        0.026532189526576123093) *
        r +
        0.29656057182850489123) *
        r +
        1.7848265399172913358) *
        r +
        5.4637849111641143699) *
        r +
        6.6579046435011037772) /
      (((((((r * 2.04426310338993978564e-15 + 1.4215117583164458887e-7) * r +
        1.8463183175100546818e-5) *
        r +
        7.868691311456132591e-4) *
        r +
        0.0148753612908506148525) *
        r +
        0.13692988092273580531) *
        r +
        0.59983220655588793769) *
        r +
        1)
  }
  return q < 0 ? -x : x
}
