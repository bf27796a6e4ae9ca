"""Search and match: the missing child among found and institutionalised children.

Pure Python and rapidfuzz, no I/O: ``names`` (normalisation of Indian names, phonetic skeletons), ``records``
(what the matcher knows of a case), ``blocking`` (candidate keys), ``scoring`` (weighted evidence with explanations),
``index`` (the in-memory candidate index). It may import ``domain`` only; the resolvers feed it from the store.
"""
