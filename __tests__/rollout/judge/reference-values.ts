// Reference values for the canary judge's statistics, computed independently
// with Python (scipy 1.17.1, statsmodels 0.15.0, numpy 2.4.6) by
// the script in the comment below; never edited by hand.
//
// - wilson: statsmodels.stats.proportion.proportion_confint(failures, total,
//   alpha=2*(1-confidence), method='wilson')
// - newcombe: statsmodels.stats.proportion.confint_proportions_2indep(x1, n1, x2, n2,
//   method='newcomb', compare='diff', alpha=2*(1-confidence))
// - mannWhitney: U and p from scipy.stats.mannwhitneyu(canary, stable,
//   alternative='greater', method='asymptotic', use_continuity=True); hl =
//   numpy.median(numpy.subtract.outer(canary, stable)) (brute force over all
//   m*n differences); k = floor(m*n/2 - scipy.stats.norm.ppf(confidence)*sd_U)
//   with the tie-corrected sd_U, lower/upper = the k-th smallest/largest of the
//   brute-force sorted differences
// - sampleSize: statsmodels.stats.power.normal_sample_size_one_tail(delta, 0.8,
//   1-confidence, std_null=sd, std_alternative=sd), sd = sqrt(p1(1-p1) + p2(1-p2)/ratio)
// The script is reference-values.py beside this file (run in a throwaway venv
// after `pip install scipy statsmodels`: python reference-values.py).

export const wilson = [
  { failures: 0, total: 200, confidence: 0.95, lower: 0.0, upper: 0.013347160654775625 },
  {
    failures: 2,
    total: 200,
    confidence: 0.95,
    lower: 0.0033147575889159245,
    upper: 0.029765459852764187
  },
  {
    failures: 10,
    total: 1000,
    confidence: 0.95,
    lower: 0.005987285852600199,
    upper: 0.016656992522365112
  },
  { failures: 0, total: 10, confidence: 0.99, lower: 0.0, upper: 0.35115049971725687 },
  { failures: 7, total: 7, confidence: 0.9, lower: 0.8099625940446663, upper: 1.0 },
  {
    failures: 37,
    total: 12345,
    confidence: 0.975,
    lower: 0.0021753177611074015,
    upper: 0.004128225699246322
  }
] as const

export const newcombe = [
  {
    canary: [0, 200],
    stable: [0, 3800],
    confidence: 0.95,
    lower: -0.000711478557353115,
    upper: 0.013347160654775625
  },
  {
    canary: [2, 200],
    stable: [38, 3800],
    confidence: 0.95,
    lower: -0.0073379538947061325,
    upper: 0.019902103745828334
  },
  {
    canary: [20, 200],
    stable: [38, 3800],
    confidence: 0.95,
    lower: 0.060117555973259434,
    upper: 0.1304736429650346
  },
  {
    canary: [5, 50],
    stable: [1, 60],
    confidence: 0.9,
    lower: 0.026877007046566745,
    upper: 0.15204408176481532
  },
  {
    canary: [0, 30],
    stable: [3, 30],
    confidence: 0.95,
    lower: -0.22550247949084856,
    upper: 0.00179652940056578
  },
  {
    canary: [120, 10000],
    stable: [100, 10000],
    confidence: 0.99,
    lower: -0.0014551592217440204,
    upper: 0.005486696230603497
  }
] as const

export const mannWhitney = [
  {
    name: 'no ties',
    canary: [
      0.928066, 1.240735, 1.279374, 1.063447, 1.082827, 0.90209, 0.817176, 0.819928, 0.800314,
      1.185841, 0.988742, 1.025656
    ],
    stable: [
      0.772006, 0.682437, 0.659609, 0.731686, 1.019831, 0.903688, 0.808646, 0.852144, 0.614533,
      1.146136, 0.656717, 0.908476, 1.327395, 0.389762, 0.618608
    ],
    confidence: 0.95,
    U: 141.0,
    p: 0.006866975484090444,
    hl: 0.208349,
    k: 56,
    lower: 0.08549000000000007,
    upper: 0.3660469999999999
  },
  {
    name: 'no ties',
    canary: [
      0.928066, 1.240735, 1.279374, 1.063447, 1.082827, 0.90209, 0.817176, 0.819928, 0.800314,
      1.185841, 0.988742, 1.025656
    ],
    stable: [
      0.772006, 0.682437, 0.659609, 0.731686, 1.019831, 0.903688, 0.808646, 0.852144, 0.614533,
      1.146136, 0.656717, 0.908476, 1.327395, 0.389762, 0.618608
    ],
    confidence: 0.9,
    U: 141.0,
    p: 0.006866975484090444,
    hl: 0.208349,
    k: 63,
    lower: 0.12196799999999985,
    upper: 0.3317610000000001
  },
  {
    name: 'ties',
    canary: [0.1, 0.2, 0.2, 0.3, 0.3, 0.3, 0.5, 0.5, 0.8],
    stable: [0.1, 0.1, 0.2, 0.2, 0.3, 0.4, 0.4, 0.5],
    confidence: 0.95,
    U: 43.5,
    p: 0.2463965148220867,
    hl: 0.09999999999999998,
    k: 19,
    lower: -0.10000000000000003,
    upper: 0.19999999999999998
  },
  {
    name: 'ties',
    canary: [0.1, 0.2, 0.2, 0.3, 0.3, 0.3, 0.5, 0.5, 0.8],
    stable: [0.1, 0.1, 0.2, 0.2, 0.3, 0.4, 0.4, 0.5],
    confidence: 0.9,
    U: 43.5,
    p: 0.2463965148220867,
    hl: 0.09999999999999998,
    k: 22,
    lower: -0.09999999999999998,
    upper: 0.19999999999999998
  },
  {
    name: 'equal',
    canary: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
    stable: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
    confidence: 0.95,
    U: 32.0,
    p: 1.0,
    hl: 0.0,
    k: 32,
    lower: 0.0,
    upper: 0.0
  },
  {
    name: 'equal',
    canary: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
    stable: [0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25, 0.25],
    confidence: 0.9,
    U: 32.0,
    p: 1.0,
    hl: 0.0,
    k: 32,
    lower: 0.0,
    upper: 0.0
  },
  {
    name: 'canary 3x',
    canary: [0.3, 0.31, 0.29, 0.3, 0.33, 0.28, 0.3, 0.32],
    stable: [0.1, 0.11, 0.09, 0.1, 0.1, 0.12, 0.1, 0.095],
    confidence: 0.95,
    U: 64.0,
    p: 0.00041476098682116126,
    hl: 0.19999999999999998,
    k: 16,
    lower: 0.18999999999999997,
    upper: 0.21000000000000002
  },
  {
    name: 'canary 3x',
    canary: [0.3, 0.31, 0.29, 0.3, 0.33, 0.28, 0.3, 0.32],
    stable: [0.1, 0.11, 0.09, 0.1, 0.1, 0.12, 0.1, 0.095],
    confidence: 0.9,
    U: 64.0,
    p: 0.00041476098682116126,
    hl: 0.19999999999999998,
    k: 19,
    lower: 0.19,
    upper: 0.21
  }
] as const

export const sampleSize = [
  { p1: 0.01, p2: 0.01, delta: 0.01, confidence: 0.95, ratio: 1, n: 1224.146331939914 },
  { p1: 0.02, p2: 0.01, delta: 0.01, confidence: 0.95, ratio: 19, n: 1243.9955946321877 },
  { p1: 0.05, p2: 0.01, delta: 0.04, confidence: 0.99, ratio: 3, n: 318.64389747074404 }
] as const
