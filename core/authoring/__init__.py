"""For pack authors: checking packs (:mod:`.validation`, :mod:`.lint`, :mod:`.wordlint`),
starting one (:mod:`.scaffold`), testing it with personas (:mod:`.testing`, :mod:`.personas`,
:mod:`.expectations`, :mod:`.snapshots`, public as :mod:`bounceback.testing`), and looking at
packs (:mod:`.packview`, :mod:`.catalog`)."""
