"""Risk: which seizures matter most to trace: a scikit-learn estimator with reasons."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.calibration import CalibratedClassifierCV
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.exceptions import NotFittedError as SklearnNotFittedError
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import column_or_1d, validate_data

from .._validation import check_option
from ..exceptions import InvalidParameterError, NotFittedError
from ._words import reason_words
from .features import RISK_FEATURES

__all__ = ["RiskScorer", "PRIOR_WEIGHTS", "PRIOR_INTERCEPT"]

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

#: counts saturate: ``min(log1p(x) / log1p(cap), 1)``.
_SATURATE = {
    "actor_other_seizures": 5,
    "batch_other_seizures": 5,
    "batch_other_countries": 2,
    "seizure_items": 10,
}


class _NotFittedError(NotFittedError, SklearnNotFittedError):
    """iti_analytics' NotFittedError that scikit-learn also recognises."""


class RiskScorer(ClassifierMixin, BaseEstimator):
    """Probability that tracing an item reveals a diversion point, with reasons.

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
    (``min(log1p(x) / log1p(cap), 1)``, caps 5, 5, 2 and 10). The prior reads
    the columns by name (``feature_names_in_``) or, for a plain array of
    ``len(RISK_FEATURES)`` columns, by position; any other ``X`` gets the
    intercept alone as prior.

    Parameters
    ----------
    model : {"logistic", "gradient_boosting"}, default "logistic"
        The learned model: standardised logistic regression, or
        ``HistGradientBoostingClassifier`` (depth 3).
    calibration : {"sigmoid", "isotonic", None}, default "sigmoid"
        Wrap the model in ``CalibratedClassifierCV`` (when each class has at
        least ``cv`` labels) so that its probabilities can be multiplied by
        ``p_success``.
    cv : int, default 3
        Folds of the calibration.
    prior_strength : float, default 50
        Labels' worth of the prior: the learned probability gets weight
        ``n / (n + prior_strength)`` for ``n`` labels (0 = learned only).
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
        prior_weights: dict[str, float] | None = None,
        random_state: int | None = None,
    ):
        self.model = model
        self.calibration = calibration
        self.cv = cv
        self.prior_strength = prior_strength
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
            None: prior rules only.

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
        self.classes_ = classes
        target = (y == classes[1]).astype(int)
        self.model_ = self._learned_model(target).fit(X, target)
        self.n_labels_ = int(len(target))
        self.weight_ = float(self.n_labels_ / (self.n_labels_ + self.prior_strength))
        self._weights_ = weights
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

    def _learned_model(self, target: np.ndarray):
        if self.model == "logistic":
            base = make_pipeline(StandardScaler(), LogisticRegression(C=1.0))
        else:
            base = HistGradientBoostingClassifier(
                max_depth=3, learning_rate=0.1, random_state=self.random_state
            )
        smallest = int(min(target.sum(), len(target) - target.sum()))
        if self.calibration is not None and smallest >= max(2, self.cv):
            return CalibratedClassifierCV(base, method=self.calibration, cv=self.cv)
        return base

    # -- prediction -----------------------------------------------------------

    def _check_fitted(self) -> None:
        if not hasattr(self, "classes_"):
            raise _NotFittedError(
                "This RiskScorer instance is not fitted yet. Call 'fit' with past "
                "trace outcomes, or 'fit(X)' without y to use the prior rules."
            )

    def __sklearn_is_fitted__(self) -> bool:
        return hasattr(self, "classes_")

    def _prior_logit_parts(self, X: np.ndarray) -> np.ndarray:
        """Per-feature prior log-odds (n × len(RISK_FEATURES)); zeros if unknown."""
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
        return g * self._weights_

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
        logit = PRIOR_INTERCEPT + self._prior_logit_parts(X).sum(axis=1)
        return 1.0 / (1.0 + np.exp(-logit))

    def predict_proba(self, X: Any) -> np.ndarray:
        """Probabilities of the two classes: ``[:, 1]`` is the risk.

        Returns
        -------
        ndarray of shape (n_items, 2)
        """
        self._check_fitted()
        X = validate_data(self, X, reset=False, dtype="numeric")
        logit = PRIOR_INTERCEPT + self._prior_logit_parts(X).sum(axis=1)
        p = 1.0 / (1.0 + np.exp(-logit))
        if self.model_ is not None:
            learned = self.model_.predict_proba(X)[:, 1]
            p = self.weight_ * learned + (1.0 - self.weight_) * p
        return np.column_stack([1.0 - p, p])

    def predict(self, X: Any) -> np.ndarray:
        """The more probable class of each item."""
        proba = self.predict_proba(X)
        return self.classes_[np.argmax(proba, axis=1)]

    # -- reasons --------------------------------------------------------------

    def contributions(self, X: Any) -> pd.DataFrame:
        """Log-odds each risk signal adds to each item's score.

        The prior rules' contributions, blended with the learned logistic
        model's (coefficient × standardised value, averaged over the
        calibration folds) by :attr:`weight_`. Gradient boosting adds no
        contributions of its own: its reasons are the prior's signals.

        Returns
        -------
        DataFrame
            One column per feature of :data:`RISK_FEATURES`.
        """
        self._check_fitted()
        index = X.index if isinstance(X, pd.DataFrame) else None
        X = validate_data(self, X, reset=False, dtype="numeric")
        parts = self._prior_logit_parts(X)
        learned = self._learned_parts(X)
        if learned is not None:
            parts = (1.0 - self.weight_) * parts + self.weight_ * learned
        return pd.DataFrame(parts, columns=RISK_FEATURES, index=index)

    def _learned_parts(self, X: np.ndarray) -> np.ndarray | None:
        if (
            self.model_ is None
            or self.model != "logistic"
            or self._prior_columns_ is None
        ):
            return None
        pipes = (
            [c.estimator for c in self.model_.calibrated_classifiers_]
            if isinstance(self.model_, CalibratedClassifierCV)
            else [self.model_]
        )
        total = np.zeros((X.shape[0], len(RISK_FEATURES)))
        for pipe in pipes:
            scaler, logistic = pipe[0], pipe[-1]
            z = (X - scaler.mean_) / np.where(scaler.scale_ == 0, 1, scaler.scale_)
            total += (z * logistic.coef_[0])[:, self._prior_columns_]
        return total / len(pipes)

    def explain(self, X: Any, *, top: int = 3) -> pd.Series:
        """The top reasons of each score, in words.

        Signals that raise the score, strongest first, joined by ``"; "``
        ("seized in a conflict area; batch also seen in 3 other seizures in 2
        countries; manufactured 2019"); "no particular risk signal" when none.

        Examples
        --------
        >>> import pandas as pd
        >>> X = pd.DataFrame(0.0, index=[0], columns=RISK_FEATURES)
        >>> X.loc[0, ["batch_other_seizures", "batch_other_countries"]] = [3, 1]
        >>> X.loc[0, ["recent_manufacture", "year_of_manufacture"]] = [1, 2019]
        >>> RiskScorer().fit(X).explain(X).iloc[0]
        'batch also seen in 3 other seizures in 2 countries; manufactured 2019'
        """
        if not isinstance(top, int) or top < 1:
            raise InvalidParameterError(
                f"`top` must be a whole number of reasons, 1 or more, but {top!r} "
                "was passed."
            )
        contrib = self.contributions(X)
        if self._prior_columns_ is None:
            return pd.Series(
                "no particular risk signal", index=contrib.index, dtype="string"
            )
        values = pd.DataFrame(
            np.asarray(validate_data(self, X, reset=False, dtype="numeric"))[
                :, self._prior_columns_
            ],
            columns=RISK_FEATURES,
            index=contrib.index,
        )
        return reason_words(values, contrib, top=top)
