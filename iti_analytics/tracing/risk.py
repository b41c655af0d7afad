"""Risk: which seizures matter most to trace: a scikit-learn estimator with reasons."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy.optimize import minimize
from scipy.special import expit
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_is_fitted, column_or_1d, validate_data

from .._validation import check_option
from ..exceptions import InvalidParameterError, NotFittedError
from ._words import reason_table
from .features import RISK_FEATURES

__all__ = ["RiskScorer", "PRIOR_WEIGHTS", "PRIOR_INTERCEPT", "LEARNED_SIGNALS"]

#: log-odds the prior rules add for each risk signal at full strength.
PRIOR_WEIGHTS: dict[str, float] = {
    "conflict_area": 1.0,
    "border_area": 0.6,
    "embargo": 0.8,
    "cross_border_route": 0.4,
    "light_weapon": 0.7,
    "military_pattern": 0.5,
    "recent_manufacture": 0.6,
    "unusual_type": 0.4,
    "armed_group": 0.9,
    "organised_group": 0.4,
    "actor_other_seizures": 0.5,
    "batch_other_seizures": 1.0,
    "batch_other_countries": 0.5,
    "seizure_items": 0.3,
    "year_of_manufacture": 0.0,
}
#: log-odds of an item with no risk signal (a prior risk of about 12 %).
PRIOR_INTERCEPT = -2.0

#: the risk signals the learned model reads: every feature of
#: :data:`RISK_FEATURES` but the bare year of manufacture (the age of a weapon
#: decides whether its records still exist: a traceability factor, already in
#: ``p_success``).
LEARNED_SIGNALS = [f for f in RISK_FEATURES if f != "year_of_manufacture"]

#: counts saturate: ``min(log1p(x) / log1p(cap), 1)``.
_SATURATE = {
    "actor_other_seizures": 5,
    "batch_other_seizures": 5,
    "batch_other_countries": 2,
    "seizure_items": 10,
}
_SIGNAL_COLUMNS = np.array([RISK_FEATURES.index(f) for f in LEARNED_SIGNALS])


class _BoundedLogistic(ClassifierMixin, BaseEstimator):
    """L2-penalised logistic regression whose coefficients can be bounded below.

    Minimises ``Σ log-loss + ||coef||² / (2 C)`` (scikit-learn's
    ``LogisticRegression`` objective) with L-BFGS-B, under ``coef_j >=
    lower[j]`` (``-inf`` or None: unbounded).

    Written here because scikit-learn's ``LogisticRegression`` has no bounds
    on coefficients (only ``positive=True`` in linear regressors), and the
    bound is what stops learning from turning a risk signal of the prior into
    a reason not to trace; the optimiser itself is SciPy's.
    """

    def __init__(self, C: float = 1.0, lower: Any = None):
        self.C = C
        self.lower = lower

    def fit(self, X: Any, y: Any) -> _BoundedLogistic:
        X = np.asarray(X, dtype=float)
        self.classes_, target = np.unique(np.asarray(y), return_inverse=True)
        target = target.astype(float)
        k = X.shape[1]
        lower = (
            np.full(k, -np.inf)
            if self.lower is None
            else np.asarray(self.lower, dtype=float)
        )
        inv_c = 1.0 / float(self.C)

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            z = theta[0] + X @ theta[1:]
            r = expit(z) - target
            value = np.sum(np.logaddexp(0.0, z) - target * z)
            value += 0.5 * inv_c * theta[1:] @ theta[1:]
            grad = np.concatenate([[r.sum()], X.T @ r + inv_c * theta[1:]])
            return float(value), grad

        rate = np.clip(target.mean(), 1e-3, 1 - 1e-3)
        start = np.concatenate([[np.log(rate / (1 - rate))], np.zeros(k)])
        bounds = [(None, None)] + [
            (float(lo), None) if np.isfinite(lo) else (None, None) for lo in lower
        ]
        start[1:] = np.maximum(start[1:], np.where(np.isfinite(lower), lower, 0.0))
        theta = minimize(loss, start, jac=True, method="L-BFGS-B", bounds=bounds).x
        self.intercept_ = theta[:1]
        self.coef_ = theta[1:][None, :]
        return self

    def decision_function(self, X: Any) -> np.ndarray:
        check_is_fitted(self)
        return self.intercept_[0] + np.asarray(X, dtype=float) @ self.coef_[0]

    def predict_proba(self, X: Any) -> np.ndarray:
        p = expit(self.decision_function(X))
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        return self.classes_[(self.decision_function(X) > 0).astype(int)]


class RiskScorer(ClassifierMixin, BaseEstimator):
    """Probability that a trace reveals a diversion point, with reasons.

    A scikit-learn classifier on the numeric :func:`risk_features`. It works
    with no training data — ``fit(X)`` without ``y`` uses documented prior
    rules — and learns from past trace outcomes (:func:`trace_labels`) when
    they exist, blending the learned, calibrated probability with the prior
    by the number of labels.

    The prior rules (log-odds, :data:`PRIOR_WEIGHTS`, from the ITI expert
    group's selective-tracing criteria: high-risk areas, routes and actors):
    ``PRIOR_INTERCEPT`` (−2, about 12 %) plus, each at full strength, a
    conflict area +1.0, a border +0.6, a UN arms embargo at the seizure date
    +0.8, cross-border route evidence +0.4, a light weapon +0.7, a
    military-pattern arm +0.5, recent manufacture +0.6, a type rare where
    seized +0.4, an armed group +0.9, a criminal group or dealer +0.4, an
    actor seen in other seizures +0.5, a batch seen in other seizures +1.0
    and in other countries +0.5, a large seizure +0.3. Counts saturate
    (``min(log1p(x) / log1p(cap), 1)``, caps 5, 5, 2 and 10; the item itself
    does not count in its seizure). The prior reads the columns by name
    (``feature_names_in_``) or, for a plain array of ``len(RISK_FEATURES)``
    columns, by position; any other ``X`` gets the intercept alone as prior.

    **What is learned, and what is not.** Risk is kept apart from
    traceability, which :func:`traceability` measures as ``p_success`` and
    :func:`plan_tracing` multiplies in. So that ease is not counted twice:

    - the labels should say whether a trace revealed the diversion point
      *once the requested party searched its records* (:func:`trace_labels`,
      default ``among="answered"``): refusals, silence, records lost or not
      found say how easy an item is to trace, not how much it matters;
    - the learned model reads only the risk signals :data:`LEARNED_SIGNALS`
      (of a :func:`risk_features` frame: other columns — serial status, age,
      party history — are not learned from), at the prior's strength (the
      same 0–1 saturation), so that its weights are log-odds like
      :data:`PRIOR_WEIGHTS`;
    - a signal the prior counts as a risk keeps a learned weight of 0 or more
      (``model="logistic"``: bounded coefficients; ``"gradient_boosting"``:
      a monotonic constraint): the labels can find that a signal matters
      more or less, never that a conflict area or an armed group makes an
      item *less* worth tracing;
    - the learned probability gets weight ``n / (n + prior_strength)`` for
      ``n`` labels, and at most ``max_weight``: the documented rules keep at
      least ``1 − max_weight`` of their say, so every risk signal an item has
      raises its score and can be among its reasons.

    Parameters
    ----------
    model : {"logistic", "gradient_boosting"}, default "logistic"
        The learned model: L2-penalised logistic regression (``C = 1``) on the
        signals' strengths, or ``HistGradientBoostingClassifier`` (depth 3).
        On ``X`` that is not a risk-features frame, the logistic regression
        reads every column, standardised, without bounds.
    calibration : {"sigmoid", "isotonic", None}, default "sigmoid"
        Wrap the model in ``CalibratedClassifierCV`` (when each class has at
        least ``cv`` labels) so that its probabilities can be multiplied by
        ``p_success``. The logistic regression is a sigmoid calibration
        already (fitted by maximum likelihood): ``"sigmoid"`` leaves it as it
        is. A fold's sigmoid calibration that would reverse the boosted
        model's direction predicts the base rate instead.
    cv : int, default 3
        Folds of the calibration.
    prior_strength : float, default 50
        Labels' worth of the prior: the learned probability gets weight
        ``n / (n + prior_strength)`` for ``n`` labels (0 = learned only, up to
        ``max_weight``).
    max_weight : float, default 0.9
        Most weight the learned probability can get, however many labels
        (0–1; 1 lets the labels overrule the prior entirely).
    prior_weights : dict, optional
        Replace some of :data:`PRIOR_WEIGHTS` (feature -> log-odds).
    random_state : int, optional
        Seed of the gradient boosting.

    Attributes
    ----------
    classes_ : ndarray
        The two labels (``[0, 1]`` after a fit without ``y``).
    model_ : estimator or None
        The fitted learned model (None without labels).
    n_labels_ : int
        Labels the model learned from.
    weight_ : float
        Weight of the learned probability in :meth:`predict_proba`.

    See Also
    --------
    trace_labels : past outcomes as labels.
    plan_tracing : ranks by ``p_success`` with diminishing returns; the risk
        orders requests of equal promise.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> X = pd.DataFrame(0.0, index=range(4), columns=RISK_FEATURES)
    >>> X.loc[1, ["conflict_area", "armed_group", "military_pattern"]] = 1.0
    >>> X.loc[1, "year_of_manufacture"] = 2019
    >>> scorer = RiskScorer().fit(X)          # no outcomes yet: prior rules
    >>> scorer.predict_proba(X)[:2, 1].round(3)
    array([0.119, 0.599])
    >>> scorer.explain(X).iloc[1]
    'seized in a conflict area; recovered from an armed group; a military-pattern arm'
    >>> scorer.reasons(X).loc[1, "reason_codes"]
    'conflict_area;armed_group;military_pattern'
    >>> y = np.array([0, 1, 0, 1] * 10)
    >>> fitted = RiskScorer(prior_strength=10).fit(pd.concat([X] * 10), y)
    >>> round(fitted.weight_, 2)
    0.8
    """

    def __init__(
        self,
        model: str = "logistic",
        calibration: str | None = "sigmoid",
        cv: int = 3,
        prior_strength: float = 50.0,
        max_weight: float = 0.9,
        prior_weights: dict[str, float] | None = None,
        random_state: int | None = None,
    ):
        self.model = model
        self.calibration = calibration
        self.cv = cv
        self.prior_strength = prior_strength
        self.max_weight = max_weight
        self.prior_weights = prior_weights
        self.random_state = random_state

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.classifier_tags.multi_class = False
        return tags

    # -- fitting --------------------------------------------------------------

    def fit(self, X: Any, y: Any = None) -> RiskScorer:
        """Fit on trace outcomes ``y`` (1 = diversion point revealed), or none.

        Parameters
        ----------
        X : array-like or DataFrame of shape (n_items, n_features)
            Numeric features, best the frame of :func:`risk_features`.
        y : array-like of shape (n_items,), optional
            Two classes; the second of ``np.unique(y)`` is the positive one.
            Best :func:`trace_labels` (``among="answered"``). None: prior
            rules only.

        Returns
        -------
        self
        """
        check_option("model", self.model, ["logistic", "gradient_boosting"])
        check_option("calibration", self.calibration, ["sigmoid", "isotonic", None])
        if self.prior_strength is None or not self.prior_strength >= 0:
            raise InvalidParameterError(
                "`prior_strength` must be a number of labels, 0 or more, but "
                f"{self.prior_strength!r} was passed."
            )
        if self.max_weight is None or not 0 <= self.max_weight <= 1:
            raise InvalidParameterError(
                "`max_weight` must be a share between 0 and 1 (the most weight the "
                f"learned model can get), but {self.max_weight!r} was passed."
            )
        weights = self._weights()
        if y is None:
            X = validate_data(self, X, dtype="numeric")
            self._set_prior_columns(X.shape[1])
            self.classes_ = np.array([0, 1])
            self.model_ = None
            self.n_labels_ = 0
            self.weight_ = 0.0
            self._weights_ = weights
            return self
        X, y = validate_data(self, X, y, dtype="numeric")
        check_classification_targets(y)
        y = column_or_1d(y, warn=True)
        kind = type_of_target(y, input_name="y", raise_unknown=True)
        if kind not in ("binary",):
            n_classes = len(np.unique(y))
            if n_classes > 2:
                raise ValueError(
                    "Only binary classification is supported. The type of the "
                    f"target is {kind}: RiskScorer learns whether a trace revealed "
                    "a diversion point (two classes)."
                )
        classes = np.unique(y)
        if len(classes) < 2:
            raise ValueError(
                "RiskScorer needs trace outcomes of both classes to learn, but only "
                f"one class ({classes[0]!r}) was passed. Fit without y to score "
                "with the prior rules alone."
            )
        self._set_prior_columns(X.shape[1])
        self._weights_ = weights
        self.classes_ = classes
        target = (y == classes[1]).astype(int)
        self.model_ = self._learned_model(target).fit(self._learned_inputs(X), target)
        _keep_direction(self.model_, target.mean())
        self.n_labels_ = int(len(target))
        share = self.n_labels_ / (self.n_labels_ + self.prior_strength)
        self.weight_ = float(min(share, self.max_weight))
        return self

    def _weights(self) -> np.ndarray:
        weights = dict(PRIOR_WEIGHTS)
        if self.prior_weights is not None:
            unknown = set(self.prior_weights) - set(PRIOR_WEIGHTS)
            if unknown:
                raise InvalidParameterError(
                    f"`prior_weights` names unknown features {sorted(unknown)}; "
                    f"use names from RISK_FEATURES: {RISK_FEATURES}."
                )
            weights.update(self.prior_weights)
        return np.array([float(weights[f]) for f in RISK_FEATURES])

    def _set_prior_columns(self, n_features: int) -> None:
        names = getattr(self, "feature_names_in_", None)
        if names is not None and set(RISK_FEATURES) <= set(names):
            pos = {str(c): i for i, c in enumerate(names)}
            self._prior_columns_ = np.array([pos[f] for f in RISK_FEATURES])
        elif names is None and n_features == len(RISK_FEATURES):
            self._prior_columns_ = np.arange(len(RISK_FEATURES))
        else:
            self._prior_columns_ = None

    def _learned_inputs(self, X: np.ndarray) -> np.ndarray:
        """What the learned model reads: the signals' strengths, or ``X``."""
        if self._prior_columns_ is None:
            return X
        return self._strength(X)[:, _SIGNAL_COLUMNS]

    def _learned_model(self, target: np.ndarray):
        risk = self._prior_columns_ is not None
        # a signal the prior counts as a risk cannot become a protective factor
        rising = self._weights_[_SIGNAL_COLUMNS] > 0 if risk else None
        if self.model == "logistic":
            if risk:
                base = _BoundedLogistic(lower=np.where(rising, 0.0, -np.inf))
            else:
                base = make_pipeline(StandardScaler(), _BoundedLogistic())
        else:
            base = HistGradientBoostingClassifier(
                max_depth=3,
                learning_rate=0.1,
                random_state=self.random_state,
                monotonic_cst=rising.astype(int) if risk else None,
            )
        smallest = int(min(target.sum(), len(target) - target.sum()))
        # a logistic regression is its own sigmoid calibration (Platt scaling is
        # a logistic regression on its log-odds), and a cross-validated one
        # could turn its direction round
        redundant = self.model == "logistic" and self.calibration == "sigmoid"
        if (
            self.calibration is not None
            and not redundant
            and smallest >= max(2, self.cv)
        ):
            return CalibratedClassifierCV(base, method=self.calibration, cv=self.cv)
        return base

    # -- prediction -----------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "classes_"):
            raise NotFittedError(
                "This RiskScorer instance is not fitted yet. Call 'fit' with past "
                "trace outcomes, or 'fit(X)' without y to use the prior rules."
            )

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "classes_")

    def _strength(self, X: np.ndarray) -> np.ndarray:
        """Each signal's strength, 0 (absent) to 1 (n × len(RISK_FEATURES))."""
        if self._prior_columns_ is None:
            return np.zeros((X.shape[0], len(RISK_FEATURES)))
        values = np.asarray(X[:, self._prior_columns_], dtype=float)
        g = np.clip(values, 0.0, 1.0)
        for name, cap in _SATURATE.items():
            j = RISK_FEATURES.index(name)
            g[:, j] = np.minimum(
                np.log1p(np.maximum(values[:, j] - (name == "seizure_items"), 0))
                / np.log1p(cap),
                1.0,
            )
        g[:, RISK_FEATURES.index("year_of_manufacture")] = 0.0
        return g

    def _prior_logit_parts(self, X: np.ndarray) -> np.ndarray:
        """Per-feature prior log-odds (n × len(RISK_FEATURES)); zeros if unknown."""
        return self._strength(X) * self._weights_

    def prior_proba(self, X: Any) -> np.ndarray:
        """Probability of the positive class under the prior rules alone.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame(0.0, index=[0], columns=RISK_FEATURES)
        >>> RiskScorer().fit(X).prior_proba(X).round(3)
        array([0.119])
        """
        self._check_fitted()
        X = validate_data(self, X, reset=False, dtype="numeric")
        return expit(PRIOR_INTERCEPT + self._prior_logit_parts(X).sum(axis=1))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of the two classes: ``[:, 1]`` is the risk.

        ``weight_ × learned + (1 − weight_) × prior``.

        Returns
        -------
        ndarray of shape (n_items, 2)
        """
        self._check_fitted()
        X = validate_data(self, X, reset=False, dtype="numeric")
        p = expit(PRIOR_INTERCEPT + self._prior_logit_parts(X).sum(axis=1))
        if self.model_ is not None:
            learned = self.model_.predict_proba(self._learned_inputs(X))[:, 1]
            p = self.weight_ * learned + (1.0 - self.weight_) * p
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """The more probable class of each item."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    # -- reasons --------------------------------------------------------------

    def contributions(self, X: Any) -> pd.DataFrame:
        """Log-odds each risk signal adds to each item's score.

        What the signal adds against the same item without it: the prior's
        ``weight × strength``, blended by :attr:`weight_` with the learned
        logistic model's ``coefficient × strength`` (times the calibration's
        slope, averaged over the calibration folds). A signal the item does
        not have adds 0. Gradient boosting adds no contributions of its own:
        its reasons are the prior's signals.

        Returns
        -------
        DataFrame
            One column per feature of :data:`RISK_FEATURES`, same index as
            ``X``.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame(0.0, index=[7], columns=RISK_FEATURES)
        >>> X.loc[7, "conflict_area"] = 1
        >>> RiskScorer().fit(X).contributions(X).loc[7, "conflict_area"]
        np.float64(1.0)
        """
        self._check_fitted()
        index = X.index if isinstance(X, pd.DataFrame) else None
        X = validate_data(self, X, reset=False, dtype="numeric")
        return pd.DataFrame(self._contributions(X), columns=RISK_FEATURES, index=index)

    def _contributions(self, X: np.ndarray) -> np.ndarray:
        parts = self._prior_logit_parts(X)
        learned = self._learned_parts(X)
        if learned is not None:
            parts = (1.0 - self.weight_) * parts + self.weight_ * learned
        return parts

    def _learned_parts(self, X: np.ndarray) -> np.ndarray | None:
        if (
            self.model_ is None
            or self.model != "logistic"
            or self._prior_columns_ is None
        ):
            return None
        if isinstance(self.model_, CalibratedClassifierCV):
            fitted = [
                (c.estimator, _slope(c.calibrators[0]))
                for c in self.model_.calibrated_classifiers_
            ]
        else:
            fitted = [(self.model_, 1.0)]
        coef = np.mean([slope * est.coef_[0] for est, slope in fitted], axis=0)
        total = np.zeros((X.shape[0], len(RISK_FEATURES)))
        total[:, _SIGNAL_COLUMNS] = self._learned_inputs(X) * coef
        return total

    def reasons(
        self, X: Any, *, top: int = 3, context: pd.DataFrame | None = None
    ) -> pd.DataFrame:
        """The top reasons of each score: stable codes and words.

        A reason is a risk signal the item has (strength above 0) that raises
        its score, strongest contribution first (:meth:`contributions`); a
        signal the item lacks is never a reason. :func:`plan_tracing` and
        :func:`monitor_list` word their risk reasons with this method.

        Parameters
        ----------
        X : DataFrame or array-like
            As for :meth:`predict_proba`.
        top : int, default 3
            Most reasons per item.
        context : DataFrame, optional
            One row per row of ``X`` with labels that make the words more
            precise: ``category`` ("a light weapon (mortar)"),
            ``conflict_label``, ``embargo_label``, ``category_share`` and
            ``country`` (for an unusual type). The codes do not depend on it.

        Returns
        -------
        DataFrame
            ``reason_codes``: codes of :data:`REASON_CODES` joined by ``";"``
            (``""`` when none), for translations; ``reasons``: the words joined
            by ``"; "`` ("no particular risk signal" when none). Same index as
            ``X``.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame(0.0, index=[0], columns=RISK_FEATURES)
        >>> X.loc[0, ["batch_other_seizures", "batch_other_countries"]] = [3, 1]
        >>> X.loc[0, ["recent_manufacture", "year_of_manufacture"]] = [1, 2019]
        >>> why = RiskScorer().fit(X).reasons(X)
        >>> why.loc[0, "reason_codes"]
        'batch_seen_elsewhere;recent_manufacture'
        >>> why.loc[0, "reasons"]
        'batch also seen in 3 other seizures in 2 countries; manufactured 2019'
        """
        if isinstance(top, bool) or not isinstance(top, int) or top < 1:
            raise InvalidParameterError(
                f"`top` must be a whole number of reasons, 1 or more, but {top!r} "
                "was passed."
            )
        self._check_fitted()
        index = X.index if isinstance(X, pd.DataFrame) else None
        X = validate_data(self, X, reset=False, dtype="numeric")
        index = pd.RangeIndex(len(X)) if index is None else index
        if context is not None:
            if not isinstance(context, pd.DataFrame) or len(context) != len(X):
                raise InvalidParameterError(
                    "`context` must be a DataFrame with one row per row of `X` "
                    f"({len(X)}), such as the context of the items scored."
                )
            context = context.set_axis(index)
        if self._prior_columns_ is None:
            return pd.DataFrame(
                {
                    "reason_codes": pd.array([""] * len(X), dtype="string"),
                    "reasons": pd.array(
                        ["no particular risk signal"] * len(X), dtype="string"
                    ),
                },
                index=index,
            )
        values = pd.DataFrame(
            X[:, self._prior_columns_], columns=RISK_FEATURES, index=index
        )
        return reason_table(
            values,
            self._strength(X) > 0,
            self._contributions(X),
            context,
            top=top,
        )

    def explain(
        self, X: Any, *, top: int = 3, context: pd.DataFrame | None = None
    ) -> pd.Series:
        """The top reasons of each score, in words (``reasons(X)["reasons"]``).

        Signals the item has that raise its score, strongest first, joined by
        ``"; "`` ("seized in a conflict area; batch also seen in 3 other
        seizures in 2 countries; manufactured 2019"); "no particular risk
        signal" when none. See :meth:`reasons` for the codes and ``context``.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame(0.0, index=[0], columns=RISK_FEATURES)
        >>> X.loc[0, ["batch_other_seizures", "batch_other_countries"]] = [3, 1]
        >>> X.loc[0, ["recent_manufacture", "year_of_manufacture"]] = [1, 2019]
        >>> RiskScorer().fit(X).explain(X).iloc[0]
        'batch also seen in 3 other seizures in 2 countries; manufactured 2019'
        """
        return self.reasons(X, top=top, context=context)["reasons"].rename(None)


def _keep_direction(model: Any, rate: float) -> None:
    """A sigmoid calibration that would reverse its fold's model gives the rate.

    Platt scaling fitted on a fold can find a negative slope (the fold's
    model ranks its held-out items backwards): it would turn every risk
    signal into a protective factor. Such a fold predicts the base rate
    instead (slope 0). Isotonic calibration is increasing: nothing to do.
    """
    if not isinstance(model, CalibratedClassifierCV):
        return
    rate = float(np.clip(rate, 1e-6, 1 - 1e-6))
    for fold in model.calibrated_classifiers_:
        for calibrator in fold.calibrators:
            if getattr(calibrator, "a_", 0.0) > 0:  # p = expit(-(a f + b))
                calibrator.a_ = 0.0
                calibrator.b_ = -float(np.log(rate / (1 - rate)))


def _slope(calibrator: Any) -> float:
    """How much the calibration stretches the model's log-odds (1 if not linear)."""
    a = getattr(calibrator, "a_", None)
    return float(-a) if a is not None else 1.0
