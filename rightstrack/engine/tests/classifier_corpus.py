"""A small hand-written training set: recommendations an NMRF assigns to its ministries."""

from __future__ import annotations

JUSTICE, HEALTH, EDUCATION, LABOUR = "Justice", "Health", "Education", "Labour"

#: (text, ministries). Written for these tests; not taken from any UN document.
ASSIGNED = [
    ("Amend the Criminal Code to define torture in line with the Convention", [JUSTICE]),
    (
        "Ensure prompt and impartial investigation of all allegations of ill-treatment by police",
        [JUSTICE],
    ),
    ("Reduce pre-trial detention and overcrowding in prisons", [JUSTICE]),
    ("Guarantee access to free legal aid for all persons deprived of liberty", [JUSTICE]),
    ("Strengthen the independence of the judiciary and the prosecution service", [JUSTICE]),
    ("Abolish the death penalty in law for all crimes", [JUSTICE]),
    ("Adopt a law criminalising domestic violence and marital rape", [JUSTICE]),
    ("Bring the juvenile justice system into line with international standards", [JUSTICE]),
    ("Improve access to primary health care in rural areas", [HEALTH]),
    ("Reduce maternal mortality by training more midwives", [HEALTH]),
    ("Ensure universal access to antiretroviral treatment for people living with HIV", [HEALTH]),
    ("Increase the health budget and extend vaccination coverage for children", [HEALTH]),
    ("Guarantee access to mental health services in the community", [HEALTH]),
    ("Ensure that hospitals provide sexual and reproductive health services", [HEALTH]),
    ("Improve sanitation and access to safe drinking water in clinics", [HEALTH]),
    ("Ensure free and compulsory primary education for all children", [EDUCATION]),
    ("Include human rights education in the school curriculum", [EDUCATION]),
    ("Reduce school drop-out rates among girls in secondary schools", [EDUCATION]),
    ("Train teachers in inclusive education for children with disabilities", [EDUCATION]),
    ("Build more schools and recruit qualified teachers in remote regions", [EDUCATION]),
    ("Guarantee education in minority languages at primary school", [EDUCATION]),
    ("Raise the minimum wage and enforce it in the informal sector", [LABOUR]),
    ("Eliminate child labour on plantations through labour inspections", [LABOUR]),
    ("Protect migrant domestic workers from abuse by employers", [LABOUR]),
    ("Ratify ILO Convention No. 189 on domestic workers", [LABOUR]),
    ("Close the gender pay gap and ensure equal pay for work of equal value", [LABOUR]),
    ("Strengthen the labour inspectorate and workplace safety rules", [LABOUR]),
    ("Guarantee the right of workers to form trade unions and to strike", [LABOUR]),
    ("Provide health care and legal aid to victims of trafficking", [HEALTH, JUSTICE]),
    ("Prosecute employers who subject workers to forced labour", [JUSTICE, LABOUR]),
    (
        "Offer vocational training to young people leaving school to find decent work",
        [EDUCATION, LABOUR],
    ),
    ("Provide school meals and health check-ups for pupils", [EDUCATION, HEALTH]),
    ("Ensure that detained persons have access to medical care in prison", [HEALTH, JUSTICE]),
    (
        "Train judges and prosecutors on the rights of the child in school discipline cases",
        [EDUCATION, JUSTICE],
    ),
]
