"""Hidden checks for notebook 06, DIY AutoML."""

from __future__ import annotations

from collections.abc import Callable

from sklearn.dummy import DummyClassifier
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import KFold, RandomizedSearchCV, StratifiedKFold, cross_val_score
from sklearn.naive_bayes import GaussianNB
from sklearn.neighbors import KNeighborsClassifier
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier

from autograde.trusted.reference import memoized
from helpers.checks import nb06 as public
from helpers.checks.core import check, expect_equal
from helpers.data import load_dataset

NOTEBOOK = "06_diy_automl"


def ref():
    """The reference solution's functions."""
    return memoized(NOTEBOOK)


def _wine():
    return load_dataset("wine")


@check
def check_make_model_configs(make_model_configs: Callable) -> None:
    cases = [
        ("make_model_configs(n_trees=7, random_state=3)", {"n_trees": 7, "random_state": 3}, None),
        ("make_model_configs(n_trees=25)", {"n_trees": 25}, None),
        ("make_model_configs(random_state=11)", {"random_state": 11}, None),
    ]
    public.check_make_model_configs(make_model_configs, cases=cases, oracle=ref().make_model_configs)
    first, second = make_model_configs(), make_model_configs()
    expect_equal(first["RF"][0] is second["RF"][0], False,
                 "each call must build new estimators (no estimator shared between calls)")


@check
def check_diy_automl(diy_automl: Callable) -> None:
    X, y = _wine()
    # the best family is last in the mapping, and one family has an empty grid
    configs = {
        "Stump": (DecisionTreeClassifier(max_depth=1, random_state=0), {"criterion": ["gini", "entropy"]}),
        "NB": (GaussianNB(), {}),
        "KNN": (public.scaled(KNeighborsClassifier()), {"model__n_neighbors": [1, 7, 25],
                                                        "model__weights": ["uniform", "distance"]}),
        "SVM": (public.scaled(SVC()), {"model__C": [0.1, 10]}),
    }
    Xb, yb = load_dataset("breast_cancer")
    trees = {
        "Deep": (DecisionTreeClassifier(random_state=1), {"max_depth": [None]}),
        "Shallow": (DecisionTreeClassifier(random_state=1), {"max_depth": [1, 2, 3],
                                                             "min_samples_leaf": [1, 30]}),
        "DeepAgain": (DecisionTreeClassifier(random_state=1), {"max_depth": [None]}),  # ties with Deep
    }
    cases = [
        ("wine, 4 families (the best last, one with an empty grid), shuffled 4-fold KFold",
         (configs, X, y, KFold(4, shuffle=True, random_state=2)), None),
        ("breast cancer rows 200-399, three trees (two tie), stratified 3-fold",
         (trees, Xb[200:400], yb[200:400], StratifiedKFold(3, shuffle=True, random_state=5)), None),
    ]
    public.check_diy_automl(diy_automl, cases=cases)


def workflow_oracle(X, y, cv, rf_space, n_iter, leaderboard, random_state=0) -> dict[str, float]:
    """scikit-learn's four numbers: dummy, scaled LogReg, random search, best of the leaderboard.

    Hidden: it is the exercise itself. The public check compares with these numbers computed
    once for its own case (``public.PUBLIC_WORKFLOW_SCORES``).
    """
    search = RandomizedSearchCV(RandomForestClassifier(random_state=random_state), rf_space, n_iter=n_iter,
                                cv=cv, random_state=random_state, n_jobs=1).fit(X, y)
    return {
        "floor": cross_val_score(DummyClassifier(), X, y, cv=cv).mean(),
        "simple": cross_val_score(public.scaled(LogisticRegression(max_iter=1000)), X, y, cv=cv).mean(),
        "tuned": search.best_score_,
        "ceiling": float(leaderboard["best_cv"].max()),
    }


@check
def check_tuning_workflow(tuning_workflow: Callable) -> None:
    X, y = _wine()
    space = {"n_estimators": [3, 8], "max_depth": [1, 2, None], "max_features": [1, "sqrt"]}
    board = public.example_leaderboard({"GB": 0.91, "ET": 0.93, "KNN": 0.925, "LogReg": 0.9})
    cases = [
        ("wine, 2 draws from a 12-combination forest space, seed 3",
         (X, y, KFold(3, shuffle=True, random_state=1), space, 2, board, 3), None),
        ("wine, 3 draws, seed 0, stratified folds",
         (X, y, StratifiedKFold(3, shuffle=True, random_state=6), space, 3, board, 0), None),
    ]
    public.check_tuning_workflow(tuning_workflow, cases=cases, oracle=workflow_oracle)


@check
def check_choose_model(choose_model: Callable) -> None:
    scores = {"tree": 0.8125, "forest": 0.90625, "boost": 0.9375, "logreg": 0.890625}
    raw = [
        ("a gap of 0.046875, tolerance 0.05", (scores, "logreg", 0.05)),
        ("a gap of 0.046875, tolerance 0.03125", (scores, "logreg", 0.03125)),
        ("a gap exactly equal to the tolerance (0.125)", (scores, "tree", 0.125)),
        ("tolerance 0: only a tie with the best keeps the simple model",
         ({"simple": 0.75, "a": 0.75, "b": 0.5}, "simple", 0.0)),
        ("two models tie for the best, the simple one is far below",
         ({"simple": 0.5, "first": 0.875, "second": 0.875}, "simple", 0.25)),
        ("the simple model listed last and the best", ({"x": 0.5, "y": 0.625, "simple": 0.75}, "simple", 0.0)),
        ("a huge tolerance", (scores, "tree", 1.0)),
        # Floating-point hairs: the gap is not the tolerance, but only by rounding. Either answer is accepted.
        ("0.56 - 0.51 is 0.050000000000000044, tolerance 0.05",
         ({"simple": 0.51, "boost": 0.56, "tree": 0.4}, "simple", 0.05)),
        ("0.62 - 0.59 is 0.030000000000000027, tolerance 0.03", ({"a": 0.62, "simple": 0.59}, "simple", 0.03)),
        ("0.83 - 0.8 is 0.029999999999999916, tolerance 0.03", ({"simple": 0.8, "b": 0.83}, "simple", 0.03)),
    ]
    cases = [(label, args, ref().choose_model(dict(args[0]), args[1], args[2])) for label, args in raw]
    public.check_choose_model(choose_model, cases=cases)


@check
def check_flaml_leaderboard(flaml_leaderboard: Callable) -> None:
    inf = float("inf")
    raw = [
        ("all six learners tried",
         {"lrl2": 0.09375, "kneighbor": 0.0625, "svc": 0.03125, "rf": 0.046875, "histgb": 0.078125,
          "extra_tree": 0.015625}),
        ("an unknown learner 'xgboost' and two learners never tried",
         {"xgboost": 0.25, "rf": inf, "lrl2": 0.5, "svc": inf}),
        ("a tie between rf and extra_tree", {"extra_tree": 0.125, "rf": 0.125, "lrl2": 0.375}),
    ]
    cases = []
    for label, losses in raw:
        want = ref().flaml_leaderboard(public.fake_automl(losses), public.FLAML_NAMES)
        cases.append((label, (public.fake_automl(losses), public.FLAML_NAMES),
                      list(zip(want["family"], want["best_cv"]))))
    public.check_flaml_leaderboard(flaml_leaderboard, cases=cases)


@check
def check_automl_red_flags(automl_red_flags: Callable) -> None:
    p = public.project
    projects = [
        ("credit scoring that must explain refusals", p(must_explain=True)),
        ("fraud checks in real time", p(realtime=True)),
        ("a tabular model on a microcontroller", p(edge=True)),
        ("sentiment of product reviews (text)", p("text")),
        ("X-ray triage that must be explained (images)", p("images", must_explain=True)),
        ("a real-time, explained model on an edge device, on video", p("video", True, True, True)),
        ("a plain CSV", p("tabular")),
    ]
    cases = [(label, (proj,), ref().automl_red_flags(dict(proj))) for label, proj in projects]
    public.check_automl_red_flags(automl_red_flags, cases=cases)
