import json, numpy as np, scipy, statsmodels
from scipy.stats import mannwhitneyu, norm
from statsmodels.stats.proportion import proportion_confint, confint_proportions_2indep
from statsmodels.stats.power import normal_sample_size_one_tail
out = {"versions": {"scipy": scipy.__version__, "statsmodels": statsmodels.__version__, "numpy": np.__version__}}
w = []
for (x, n, c) in [(0, 200, 0.95), (2, 200, 0.95), (10, 1000, 0.95), (0, 10, 0.99), (7, 7, 0.9), (37, 12345, 0.975)]:
    lo, hi = proportion_confint(x, n, alpha=2*(1-c), method='wilson')
    w.append({"failures": x, "total": n, "confidence": c, "lower": lo, "upper": hi})
out["wilson"] = w
nc = []
for (x1, n1, x2, n2, c) in [(0, 200, 0, 3800, 0.95), (2, 200, 38, 3800, 0.95), (20, 200, 38, 3800, 0.95), (5, 50, 1, 60, 0.9), (0, 30, 3, 30, 0.95), (120, 10000, 100, 10000, 0.99)]:
    lo, hi = confint_proportions_2indep(x1, n1, x2, n2, method='newcomb', compare='diff', alpha=2*(1-c))
    nc.append({"canary": [x1, n1], "stable": [x2, n2], "confidence": c, "lower": lo, "upper": hi})
out["newcombe"] = nc
rng = np.random.default_rng(20)
mw = []
cases = [
  ("no ties", list(np.round(rng.normal(1.0, 0.2, 12), 6)), list(np.round(rng.normal(0.9, 0.2, 15), 6))),
  ("ties", [0.1,0.2,0.2,0.3,0.3,0.3,0.5,0.5,0.8], [0.1,0.1,0.2,0.2,0.3,0.4,0.4,0.5]),
  ("equal", [0.25]*8, [0.25]*8),
  ("canary 3x", [0.3,0.31,0.29,0.3,0.33,0.28,0.3,0.32], [0.1,0.11,0.09,0.1,0.1,0.12,0.1,0.095]),
]
for name, c, s in cases:
    r = mannwhitneyu(c, s, alternative='greater', method='asymptotic', use_continuity=True)
    d = np.sort(np.subtract.outer(np.array(c), np.array(s)).ravel())
    m, n = len(s), len(c); N = m+n
    allv = np.concatenate([c, s]); _, t = np.unique(allv, return_counts=True)
    sd = np.sqrt(m*n/12*((N+1) - (t**3-t).sum()/(N*(N-1))))
    for conf in [0.95, 0.9]:
        k = int(np.floor(m*n/2 - norm.ppf(conf)*sd))
        lo = float(d[k-1]) if k >= 1 else None
        hi = float(d[m*n-k]) if k >= 1 else None
        mw.append({"name": name, "canary": [float(v) for v in c], "stable": [float(v) for v in s], "confidence": conf,
                   "U": float(r.statistic), "p": float(r.pvalue), "hl": float(np.median(d)), "k": k, "lower": lo, "upper": hi})
out["mannWhitney"] = mw
ss = []
for (p1, p2, delta, c, ratio) in [(0.01, 0.01, 0.01, 0.95, 1), (0.02, 0.01, 0.01, 0.95, 19), (0.05, 0.01, 0.04, 0.99, 3)]:
    sd = np.sqrt(p1*(1-p1) + p2*(1-p2)/ratio)
    n = normal_sample_size_one_tail(delta, 0.8, 1-c, std_null=sd, std_alternative=sd)
    ss.append({"p1": p1, "p2": p2, "delta": delta, "confidence": c, "ratio": ratio, "n": float(n)})
out["sampleSize"] = ss
print(json.dumps(out, indent=1))
