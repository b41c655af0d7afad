"""Weapon fields: category, item kind, make, model, calibre, serial and production.

Each normaliser reads its vocabulary from the CSV tables in
``iti_analytics/reference`` (``categories``, ``makes``, ``calibres``,
``serial_terms``, ``production_terms``), works on the distinct values of a column
only and broadcasts the answers back, so a million rows cost about as much as
their few hundred distinct spellings. The serial column, which is nearly all
distinct, is cleaned with vectorised Arrow string kernels instead.

Every function returns the normalised values and a ``problems`` Series (same
index, text, null where there is no problem). A value that cannot be read
becomes null and its problem says why; explicit unknowns ("INDETERMINADO",
"inconnu", "N/A") become null without a problem.

Choices worth knowing (all of them are rows in the CSV tables, easy to change):

- ``fuzil`` (pt-BR) and ``fusil`` (fr/es) are ``rifle``; ``fusil d'assaut`` and
  model names (AK-47, FAL, M16, AR-15, G3, IMBEL IA2 …) are ``assault_rifle``.
  Pass ``model=`` to :func:`normalize_category` to refine a generic ``rifle``
  from the model column. Select-fire battle rifles (FAL, G3) count as assault
  rifles: the vocabulary has no separate class.
- A bare ``M72`` is the M72 LAW (``rocket_launcher``); Zastava's M72 is an
  RPK-pattern light machine gun: ``M72B1``/``M72AB1`` and, with ``make=``, a
  Zastava ``M72`` are ``machine_gun`` (make-qualified rows of the table,
  "Zastava Arms M72"). Without the make the bare model stays the LAW.
- ``garrucha`` (a small break-action pistol) is ``pistol``; ``garruchão`` (a long
  garrucha in shotgun gauges) is ``shotgun``; ``carabina``/``carbine`` is ``rifle``.
- ``OUTROS``/``autres``/``other`` as a weapon type is the category ``other`` (a
  weapon of another type), not an unknown. Craft-made weapons of unstated type
  (``ARMA DE FABRICAÇÃO CASEIRA``, ``arme artisanale``) are ``other``.
- Calibres: ``.38`` is ``.38 Special``, ``.40`` is ``.40 S&W``, ``.45`` is
  ``.45 ACP``, ``7.65 mm`` is ``.32 ACP``. Civilian and military designations
  stay apart (``.308 Winchester`` and ``7.62x51mm``, ``.223 Remington`` and
  ``5.56x45mm``, ``40x46mm`` and ``40x53mm``); :func:`same_chamber` says which
  fit the same chamber, for matching. Bores that name several rounds stay
  bore-only with an "ambiguous calibre" problem unless the model (the model
  table) or, for a bare ``9 mm``, the category (pistol, submachine gun)
  settles them: ``7.62`` → ``7.62mm``, ``9 mm`` → ``9mm``, ``12.7`` →
  ``12.7mm``, ``40 mm`` → ``40mm``. Blank and alarm cartridges (``9mm
  P.A.K.``, ``9mm R.K.``, ``8mm blank``) are their own calibres, never
  ``9x19mm``; a weapon in one is read as converted. Bare ``10``–``28`` are
  gauges and ``36`` is ``.410`` (the Brazilian name); pass ``category=`` to
  read a bare ``32`` (or ``.32``) as ``32ga`` for shotguns.
- Makes: a pattern ("Kalashnikov", "AK-47") is not a maker and an importer's
  mark (Century Arms, EAA, Wolf) is not the manufacturer (when it is the
  only company named, a stated country equal to the importer's is an issue:
  most likely the importer's country, copied from the markings); optics and
  accessory brands are not makes (:func:`read_make`). Brands of two entities
  (SIG Sauer) get a country only where the year settles it.
- Makes not in the table keep their text, title-cased, without a problem (an
  analyst still wants a brand the table lacks); :func:`make_country` gives them
  null. Only a make with no letter at all (``"123"``) becomes null with a
  problem. Typos are corrected only within one edit (two from eight letters)
  of a single make sharing the first letter.
- Serials: leftover text after a status word counts as a partial serial only
  when it holds a digit ("Removido por ação mecânica" is obliterated, "123
  (raspado parcialmente)" is partial ``123``); a comment after the number is
  dropped ("00849N (na face inferior)" → ``00849N``); prose without a digit
  is ``unknown`` with a problem.
"""

from __future__ import annotations

from ._calibres import calibre_kind, normalize_calibre, same_chamber
from ._categories import infer_item_kind, normalize_category
from ._identify import identify_items, normalize_owner, weapon_class
from ._makes import make_country, normalize_make, normalize_model, read_make
from ._markings import decode_headstamp, decode_marking
from ._models import model_info
from ._production import normalize_production
from ._serials import fold_serial_script, normalize_serial

__all__ = [
    "normalize_category",
    "infer_item_kind",
    "normalize_make",
    "read_make",
    "make_country",
    "normalize_model",
    "normalize_calibre",
    "normalize_serial",
    "normalize_production",
    "model_info",
    "normalize_owner",
    "weapon_class",
    "same_chamber",
    "calibre_kind",
    "decode_marking",
    "decode_headstamp",
    "fold_serial_script",
    "identify_items",
]
