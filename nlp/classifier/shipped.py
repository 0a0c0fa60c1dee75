"""The sha256 of the model this package ships, pinned in code.

A joblib file is a pickle: loading it runs whatever code it holds. The manifest
beside a model guards against accidents only (whoever can replace the model can
replace its manifest too), so the one model loaded without asking is the one whose
bytes hash to :data:`SHA256`. ``disclosure train`` rewrites this file when, and only
when, it writes the shipped model into the checkout's ``models/``.
"""

SHA256 = "02038f489c43fecda3b3794933f3a820cd357d173510156f56ef99dc60610e43"
