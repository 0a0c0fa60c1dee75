"""The sha256 of the model this package ships, pinned in code.

A joblib file is a pickle: loading it runs whatever code it holds. The manifest
beside a model guards against accidents only (whoever can replace the model can
replace its manifest too), so the one model loaded without asking is the one whose
bytes hash to :data:`SHA256`. ``disclosure train`` rewrites this file when, and only
when, it writes the shipped model into the checkout's ``models/``.
"""

SHA256 = "4e12657c1fbb09a63fb61552abeaed3dc6cceb74c0c796b167648a68608be978"
