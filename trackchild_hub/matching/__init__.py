"""Search and match: the missing child among found and institutionalised children.

Pure Python, numpy and rapidfuzz, no I/O: ``names`` (normalisation of Indian names, phonetic skeletons), ``records``
(what the matcher knows of a case), ``blocking_keys`` (candidate keys), ``comparisons`` and ``weights`` (the
Fellegi-Sunter model: levels, m and u), ``vector_score`` (every comparison for many candidates at once), ``ranking``
(the exact best k), ``explain`` (factors in words), ``index`` (the in-memory candidate index), ``training`` (weights
learned from the store's own records). It may import ``domain`` only; the resolvers feed it from the store.
"""
