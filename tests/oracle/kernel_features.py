"""An independent pandas implementation of the kernel "LightGBM with simple features" (docs: home-credit.md §1),
used as a test oracle for the SQL recipe.

    /usr/bin/python3 tests/oracle/kernel_features.py <client-base.sqlite> <out.csv>

It follows the kernel's code, step by step and in its order, with only the changes that make the feature set
independent of the data, as Scoring Desk specifies (docs/features.md):
  * categorical levels come from the schema's full lists (data/schema/home-credit.json), sorted as
    pd.get_dummies sorts them, with the `_nan` dummy always present outside the application table; a level
    outside the list falls in no dummy;
  * the three binary columns get the codes pd.factorize gives on the real data (M=0 F=1, N=0 Y=1, Y=0 N=1);
  * a division by zero gives missing instead of ±inf;
  * train and test are stacked with pd.concat (pandas >= 2 has no DataFrame.append).
It shares no code and no recipe file with the SQL side. Output: SK_ID_CURR, TARGET, then the 795 features in
the kernel's order, floats written with 17 significant digits, empty = missing.
"""

import json
import os
import sqlite3
import sys

import numpy as np
import pandas as pd

HERE = os.path.dirname(os.path.abspath(__file__))
SCHEMA = json.load(open(os.path.join(HERE, "../../data/schema/home-credit.json")))


def columns_of(table):
    return next(t for t in SCHEMA["tables"] if t["name"] == table)["columns"]


def levels_of(table, column):
    return sorted(next(c for c in columns_of(table) if c["name"] == column)["levels"])


def read(con, table):
    names = [c["name"] for c in columns_of(table)]
    df = pd.read_sql_query("SELECT %s FROM \"%s\"" % (", ".join('"%s"' % n for n in names), table), con)
    for c in columns_of(table):
        if c["type"] != "category":
            df[c["name"]] = df[c["name"]].astype("float64")
    return df


def one_hot_encoder(df, table, nan_as_category=True):
    """pd.get_dummies(df, columns=<text columns>, dummy_na=...) with the schema's levels."""
    original_columns = list(df.columns)
    categorical_columns = [c for c in df.columns if df[c].dtype == "object"]
    dummies = {}
    for col in categorical_columns:
        for level in levels_of(table, col):
            dummies["%s_%s" % (col, level)] = (df[col] == level).astype("float64")
        if nan_as_category:
            dummies["%s_nan" % col] = df[col].isna().astype("float64")
    df = pd.concat([df.drop(columns=categorical_columns), pd.DataFrame(dummies, index=df.index)], axis=1)
    new_columns = [c for c in df.columns if c not in original_columns]
    return df, new_columns


def divide(a, b):
    return (a / b).replace([np.inf, -np.inf], np.nan)


def application_train_test(con, nan_as_category=False):
    df = read(con, "application").reset_index()
    df = df[df["CODE_GENDER"] != "XNA"]
    codes = {"CODE_GENDER": {"M": 0, "F": 1}, "FLAG_OWN_CAR": {"N": 0, "Y": 1}, "FLAG_OWN_REALTY": {"Y": 0, "N": 1}}
    for bin_feature, mapping in codes.items():
        df[bin_feature] = df[bin_feature].map(mapping).astype("float64")
    df, cat_cols = one_hot_encoder(df, "application", nan_as_category)
    df["DAYS_EMPLOYED"] = df["DAYS_EMPLOYED"].replace(365243, np.nan)
    df["DAYS_EMPLOYED_PERC"] = divide(df["DAYS_EMPLOYED"], df["DAYS_BIRTH"])
    df["INCOME_CREDIT_PERC"] = divide(df["AMT_INCOME_TOTAL"], df["AMT_CREDIT"])
    df["INCOME_PER_PERSON"] = divide(df["AMT_INCOME_TOTAL"], df["CNT_FAM_MEMBERS"])
    df["ANNUITY_INCOME_PERC"] = divide(df["AMT_ANNUITY"], df["AMT_INCOME_TOTAL"])
    df["PAYMENT_RATE"] = divide(df["AMT_ANNUITY"], df["AMT_CREDIT"])
    return df


def bureau_and_balance(con, nan_as_category=True):
    bureau = read(con, "bureau")
    bb = read(con, "bureau_balance")
    bb, bb_cat = one_hot_encoder(bb, "bureau_balance", nan_as_category)
    bureau, bureau_cat = one_hot_encoder(bureau, "bureau", nan_as_category)
    bb_aggregations = {"MONTHS_BALANCE": ["min", "max", "size"]}
    for col in bb_cat:
        bb_aggregations[col] = ["mean"]
    bb_agg = bb.groupby("SK_ID_BUREAU").agg(bb_aggregations)
    bb_agg.columns = pd.Index([e[0] + "_" + e[1].upper() for e in bb_agg.columns.tolist()])
    bureau = bureau.join(bb_agg, how="left", on="SK_ID_BUREAU")
    bureau.drop(["SK_ID_BUREAU"], axis=1, inplace=True)
    num_aggregations = {
        "DAYS_CREDIT": ["min", "max", "mean", "var"],
        "DAYS_CREDIT_ENDDATE": ["min", "max", "mean"],
        "DAYS_CREDIT_UPDATE": ["mean"],
        "CREDIT_DAY_OVERDUE": ["max", "mean"],
        "AMT_CREDIT_MAX_OVERDUE": ["mean"],
        "AMT_CREDIT_SUM": ["max", "mean", "sum"],
        "AMT_CREDIT_SUM_DEBT": ["max", "mean", "sum"],
        "AMT_CREDIT_SUM_OVERDUE": ["mean"],
        "AMT_CREDIT_SUM_LIMIT": ["mean", "sum"],
        "AMT_ANNUITY": ["max", "mean"],
        "CNT_CREDIT_PROLONG": ["sum"],
        "MONTHS_BALANCE_MIN": ["min"],
        "MONTHS_BALANCE_MAX": ["max"],
        "MONTHS_BALANCE_SIZE": ["mean", "sum"],
    }
    cat_aggregations = {}
    for cat in bureau_cat:
        cat_aggregations[cat] = ["mean"]
    for cat in bb_cat:
        cat_aggregations[cat + "_MEAN"] = ["mean"]
    bureau_agg = bureau.groupby("SK_ID_CURR").agg({**num_aggregations, **cat_aggregations})
    bureau_agg.columns = pd.Index(["BURO_" + e[0] + "_" + e[1].upper() for e in bureau_agg.columns.tolist()])
    active = bureau[bureau["CREDIT_ACTIVE_Active"] == 1]
    active_agg = active.groupby("SK_ID_CURR").agg(num_aggregations)
    active_agg.columns = pd.Index(["ACTIVE_" + e[0] + "_" + e[1].upper() for e in active_agg.columns.tolist()])
    bureau_agg = bureau_agg.join(active_agg, how="left", on="SK_ID_CURR")
    closed = bureau[bureau["CREDIT_ACTIVE_Closed"] == 1]
    closed_agg = closed.groupby("SK_ID_CURR").agg(num_aggregations)
    closed_agg.columns = pd.Index(["CLOSED_" + e[0] + "_" + e[1].upper() for e in closed_agg.columns.tolist()])
    bureau_agg = bureau_agg.join(closed_agg, how="left", on="SK_ID_CURR")
    return bureau_agg


def previous_applications(con, nan_as_category=True):
    prev = read(con, "previous_application")
    prev, cat_cols = one_hot_encoder(prev, "previous_application", nan_as_category)
    for col in ["DAYS_FIRST_DRAWING", "DAYS_FIRST_DUE", "DAYS_LAST_DUE_1ST_VERSION", "DAYS_LAST_DUE", "DAYS_TERMINATION"]:
        prev[col] = prev[col].replace(365243, np.nan)
    prev["APP_CREDIT_PERC"] = divide(prev["AMT_APPLICATION"], prev["AMT_CREDIT"])
    num_aggregations = {
        "AMT_ANNUITY": ["min", "max", "mean"],
        "AMT_APPLICATION": ["min", "max", "mean"],
        "AMT_CREDIT": ["min", "max", "mean"],
        "APP_CREDIT_PERC": ["min", "max", "mean", "var"],
        "AMT_DOWN_PAYMENT": ["min", "max", "mean"],
        "AMT_GOODS_PRICE": ["min", "max", "mean"],
        "HOUR_APPR_PROCESS_START": ["min", "max", "mean"],
        "RATE_DOWN_PAYMENT": ["min", "max", "mean"],
        "DAYS_DECISION": ["min", "max", "mean"],
        "CNT_PAYMENT": ["mean", "sum"],
    }
    cat_aggregations = {}
    for cat in cat_cols:
        cat_aggregations[cat] = ["mean"]
    prev_agg = prev.groupby("SK_ID_CURR").agg({**num_aggregations, **cat_aggregations})
    prev_agg.columns = pd.Index(["PREV_" + e[0] + "_" + e[1].upper() for e in prev_agg.columns.tolist()])
    approved = prev[prev["NAME_CONTRACT_STATUS_Approved"] == 1]
    approved_agg = approved.groupby("SK_ID_CURR").agg(num_aggregations)
    approved_agg.columns = pd.Index(["APPROVED_" + e[0] + "_" + e[1].upper() for e in approved_agg.columns.tolist()])
    prev_agg = prev_agg.join(approved_agg, how="left", on="SK_ID_CURR")
    refused = prev[prev["NAME_CONTRACT_STATUS_Refused"] == 1]
    refused_agg = refused.groupby("SK_ID_CURR").agg(num_aggregations)
    refused_agg.columns = pd.Index(["REFUSED_" + e[0] + "_" + e[1].upper() for e in refused_agg.columns.tolist()])
    prev_agg = prev_agg.join(refused_agg, how="left", on="SK_ID_CURR")
    return prev_agg


def pos_cash(con, nan_as_category=True):
    pos = read(con, "POS_CASH_balance")
    pos, cat_cols = one_hot_encoder(pos, "POS_CASH_balance", nan_as_category)
    aggregations = {"MONTHS_BALANCE": ["max", "mean", "size"], "SK_DPD": ["max", "mean"], "SK_DPD_DEF": ["max", "mean"]}
    for cat in cat_cols:
        aggregations[cat] = ["mean"]
    pos_agg = pos.groupby("SK_ID_CURR").agg(aggregations)
    pos_agg.columns = pd.Index(["POS_" + e[0] + "_" + e[1].upper() for e in pos_agg.columns.tolist()])
    pos_agg["POS_COUNT"] = pos.groupby("SK_ID_CURR").size()
    return pos_agg


def installments_payments(con, nan_as_category=True):
    ins = read(con, "installments_payments")
    ins, cat_cols = one_hot_encoder(ins, "installments_payments", nan_as_category)
    ins["PAYMENT_PERC"] = divide(ins["AMT_PAYMENT"], ins["AMT_INSTALMENT"])
    ins["PAYMENT_DIFF"] = ins["AMT_INSTALMENT"] - ins["AMT_PAYMENT"]
    ins["DPD"] = ins["DAYS_ENTRY_PAYMENT"] - ins["DAYS_INSTALMENT"]
    ins["DBD"] = ins["DAYS_INSTALMENT"] - ins["DAYS_ENTRY_PAYMENT"]
    ins["DPD"] = ins["DPD"].apply(lambda x: x if x > 0 else 0)
    ins["DBD"] = ins["DBD"].apply(lambda x: x if x > 0 else 0)
    aggregations = {
        "NUM_INSTALMENT_VERSION": ["nunique"],
        "DPD": ["max", "mean", "sum"],
        "DBD": ["max", "mean", "sum"],
        "PAYMENT_PERC": ["max", "mean", "sum", "var"],
        "PAYMENT_DIFF": ["max", "mean", "sum", "var"],
        "AMT_INSTALMENT": ["max", "mean", "sum"],
        "AMT_PAYMENT": ["min", "max", "mean", "sum"],
        "DAYS_ENTRY_PAYMENT": ["max", "mean", "sum"],
    }
    for cat in cat_cols:
        aggregations[cat] = ["mean"]
    ins_agg = ins.groupby("SK_ID_CURR").agg(aggregations)
    ins_agg.columns = pd.Index(["INSTAL_" + e[0] + "_" + e[1].upper() for e in ins_agg.columns.tolist()])
    ins_agg["INSTAL_COUNT"] = ins.groupby("SK_ID_CURR").size()
    return ins_agg


def credit_card_balance(con, nan_as_category=True):
    cc = read(con, "credit_card_balance")
    cc, cat_cols = one_hot_encoder(cc, "credit_card_balance", nan_as_category)
    cc.drop(["SK_ID_PREV"], axis=1, inplace=True)
    cc_agg = cc.groupby("SK_ID_CURR").agg(["min", "max", "mean", "sum", "var"])
    cc_agg.columns = pd.Index(["CC_" + e[0] + "_" + e[1].upper() for e in cc_agg.columns.tolist()])
    cc_agg["CC_COUNT"] = cc.groupby("SK_ID_CURR").size()
    return cc_agg


def main(db_path, out_path):
    con = sqlite3.connect("file:%s?mode=ro" % db_path, uri=True)
    df = application_train_test(con)
    for part in (bureau_and_balance, previous_applications, pos_cash, installments_payments, credit_card_balance):
        df = df.join(part(con), how="left", on="SK_ID_CURR")
    feats = [f for f in df.columns if f not in ["TARGET", "SK_ID_CURR", "SK_ID_BUREAU", "SK_ID_PREV", "index"]]
    df = df.sort_values("SK_ID_CURR")
    df[["SK_ID_CURR", "TARGET"] + feats].to_csv(out_path, index=False, float_format="%.17g")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
