#!/bin/bash
# Old (fed21c3, before this session) vs new: features on the same synthetic archive alternated, 1 thread, estimate plans;
# output bytes compared; then the labelled real windows through scatter -> fit -> predict -> evaluate with the default-style bank.
O="dotnet /tmp/old/out/seiscat.dll"; N="dotnet /work/main/artifacts/bin/Cli/release/seiscat.dll"
cd /tmp/ab13
[ -d A ] || $N synth --out A --hours 24 --stations 2 > /dev/null
for r in 1 2 3; do for v in old new; do B=$N; [ $v = old ] && B=$O
  echo "$v $($B features A --out f_$v.h5 --threads 1 --fftw estimate 2>/dev/null | grep -o '([0-9]* windows/s)')"; done; done
cmp f_old.h5 f_new.h5 && echo "features.h5 byte-identical"
LAB=/work/main/tests/data/labelled/ncedc_deepdenoiser_eq_vs_noise_100Hz_3C.h5
cat > cfg.json <<'J'
{"sampling_rate": 100, "bins": 2048, "layers": [{"octaves": 7, "resolution": 4, "quality": 2}, {"octaves": 7, "resolution": 1, "quality": 2}], "pooling": "avg", "taper_alpha": 0.1}
J
for v in old new; do B=$N; [ $v = old ] && B=$O
  $B scatter --segments $LAB:/waveforms --config cfg.json --out s_$v.h5 > /dev/null 2>&1; $B fit s_$v.h5 --clusters 2 --out m_$v.h5 > /dev/null 2>&1
  $B predict m_$v.h5 s_$v.h5 --out p_$v.h5 > /dev/null 2>&1; echo "$v labelled: $($N evaluate p_$v.h5 --labels $LAB:/labels | head -1)"; done
for v in old new; do B=$N; [ $v = old ] && B=$O; rm -rf R_$v; $B run A --out R_$v --fftw estimate > /dev/null 2>&1; echo "$v synthetic 2x24h run: $(grep -o '"adjusted_rand": [0-9.]*\|"recovered_classes": [0-9]*' R_$v/evaluation.json | tr '\n' ' ')"; done
