"""Same problem as `seiscat bench gmm` in scikit-learn (Debian python3-sklearn 1.2.1), for a same-machine ratio.
Run: OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1 /usr/bin/python3 bench/sklearn/gmm_fit.py [n d k iterations]
The data differ from seiscat's generator (numpy RNG) but have the same shape, separation and iteration count."""
import sys, time
import numpy as np
from sklearn.mixture import GaussianMixture

n, d, k, it = (int(v) for v in (sys.argv[1:5] if len(sys.argv) > 4 else (100000, 10, 10, 100)))
rng = np.random.default_rng(11)
centres = rng.uniform(-4, 4, size=(k, d))
x = centres[np.arange(n) % k] + rng.standard_normal((n, d)) * (0.5 + 0.1 * np.arange(d))
means = x[(np.arange(k) * 97) % n]
gmm = GaussianMixture(k, covariance_type="full", tol=0.0, max_iter=it, means_init=means, init_params="random_from_data", random_state=0)
t = time.perf_counter()
gmm.fit(x)
fit = time.perf_counter() - t
t = time.perf_counter(); reps = 0
while time.perf_counter() - t < 2:
    gmm.score_samples(x); reps += 1
rate = reps * n / (time.perf_counter() - t)
print(f"scikit-learn {__import__('sklearn').__version__} GMM full, n = {n}, d = {d}, k = {k}: {gmm.n_iter_} EM iterations in {fit:.3f} s ({fit / gmm.n_iter_ * 1000:.1f} ms/iteration); scoring {rate / 1e6:.2f} M rows/s on one thread")
