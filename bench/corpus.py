"""Deterministic pseudo-random forum text: Zipf-distributed words, a few collocations, several languages.

Word frequencies follow the rank order below (function words first, then domain words, then rare
names), so a search meets very common terms, ordinary ones and rare ones, as on a real forum.
"""

import random
from itertools import accumulate

SEED = 20260706


def _words(text):
    """The whitespace-separated words of `text`: word lists read better as running text."""
    return text.split()


ENGLISH = _words("""
the of and to in a for is that on with as by are be this we our it from at an or have has not can
will their which more all should also these into but its they other such been was must how
AI governance data countries public national international systems development policy support
cooperation capacity standards risk rights access use digital technology model models research
sector private government global regional local framework frameworks approach approaches
experience practice practices lessons partnership partnerships initiative initiatives example
community communities open safety security trust trustworthy human oversight accountability
transparency evaluation testing assessment management building skills education training compute
infrastructure investment innovation regulation regulatory law laws legal guidance principles
ministry agency university universities civil society industry companies startups developers
users citizens workers women youth languages language inclusion inclusive divide divides gap
developing developed economies markets procurement audit audits auditing register registers
explainability fairness bias discrimination privacy protection personal information sharing
interoperability alignment harmonisation coordination dialogue consultation stakeholders
stakeholder members member states state secretariat summit forum session sessions agenda
measurement metrics benchmark benchmarks incident incidents reporting disclosure labelling
watermarking provenance content misinformation elections health agriculture climate energy
finance banking telecom telecommunications networks broadband connectivity mobile satellite
cloud chips semiconductors supply chain sovereignty sustainable sustainability environment
water ethics ethical values culture cultural heritage creativity copyright intellectual
property licensing source weights datasets dataset annotation labour rural schools hospitals
pilot pilots sandbox sandboxes certification conformity accreditation liability insurance
cybersecurity resilience robustness red teaming adversarial evaluation evaluations audit trail
library libraries translation speech recognition vision generative foundation frontier
open-source multilingual low-resource indigenous accessibility disability older persons
procurement tender tenders budget funding grants fellowship fellowships mentoring network
observatory repository toolkit toolkits handbook guidelines roadmap strategy strategies plan
plans report reports review reviews survey surveys findings evidence indicators baseline
""")

RARE = _words("""
Palexpo Geneva Nairobi Kigali Montevideo Bangalore Jakarta Dakar Santiago Accra Tallinn Suva
Ulaanbaatar Lusaka Quito Tbilisi Yerevan Windhoek Thimphu Apia ISO/IEC 42001 27001 SDG
UNESCO ITU OECD ECOWAS ASEAN CARICOM Mercosur zero-shot tokenizer quantisation distillation
hyperparameter perplexity retrieval-augmented federated differential homomorphic neuromorphic
""")

# Short posts in other languages, or English posts quoting them: each language its own word list.
LANGUAGES = {
    "fr": _words("""le la les de des et en pour une un est que sur dans avec gouvernance intelligence
    artificielle données pays coopération renforcement capacités normes éthique transparence
    responsabilité droits humains inclusion numérique innovation partenariat politique publique
    apprentissage formation recherche sécurité confiance évaluation développement"""),
    "es": _words("""el la los las de y en para una un es que con gobernanza inteligencia artificial datos
    países cooperación capacidades normas ética transparencia derechos humanos inclusión digital
    innovación alianza política pública formación investigación seguridad confianza evaluación
    desarrollo interoperabilidad"""),
    "ru": _words("""и в на с для по что это искусственный интеллект управление данные страны
    сотрудничество стандарты этика прозрачность права человека цифровой развитие
    безопасность доверие оценка исследования образование"""),
    "ar": _words("""في من على إلى مع هذا الذكاء الاصطناعي حوكمة البيانات الدول التعاون المعايير
    الأخلاقيات الشفافية حقوق الإنسان الرقمية التنمية الأمن الثقة التقييم البحث التعليم"""),
    "zh": _words("""人工智能 治理 数据 国家 合作 标准 伦理 透明度 人权 数字 发展 安全 信任 评估 研究
    教育 能力建设 开源 包容"""),
    "sw": _words("""na ya wa kwa katika ni akili bandia utawala data nchi ushirikiano viwango maadili
    uwazi haki binadamu kidijitali maendeleo usalama imani tathmini utafiti elimu"""),
}
LANGUAGE_SHARE = {"en": 0.82, "fr": 0.06, "es": 0.05, "ru": 0.02, "ar": 0.02, "zh": 0.02, "sw": 0.01}

COLLOCATIONS = """capacity building|human rights|risk management|open source|data governance|public
procurement|human oversight|civil society|private sector|developing countries|open data|
incident reporting|red teaming|supply chain|digital public infrastructure|best practices|
lessons learned|AI governance|national strategy|regulatory sandbox""".replace("\n", "").split("|")


SYLLABLES = _words("ka lo mi na ru se ti vo ba de fi go hu ja ke le mo ni pa qu ra so tu va we xi ya zo")


def _names(count, seed=SEED):
    """`count` distinct made-up proper names (people, places, projects): the long tail of rare words."""
    rng = random.Random(seed + 1)
    names = {}
    while len(names) < count:
        word = "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(3, 4)))
        names[word] = None
    return [name.capitalize() for name in names]


# About one post in ten names one of these, so each appears in a handful of posts out of 100,000.
NAMES = _names(3000)


def _zipf(count, exponent=1.0, offset=2.7):
    """Cumulative Zipf-Mandelbrot weights for `count` ranks."""
    return list(accumulate(1 / (rank + offset) ** exponent for rank in range(count)))


class TextGenerator:
    """Sentences, titles and post bodies from a seeded random source: the same seed, the same text."""

    def __init__(self, seed=SEED):
        """A generator whose output depends only on `seed`."""
        self.rng = random.Random(seed)
        self.words = {"en": list(dict.fromkeys(ENGLISH + RARE)), **LANGUAGES}
        self.weights = {lang: _zipf(len(words)) for lang, words in self.words.items()}
        self.languages = list(LANGUAGE_SHARE)
        self.language_weights = list(accumulate(LANGUAGE_SHARE.values()))

    def language(self):
        """A post's language, mostly English."""
        return self.rng.choices(self.languages, cum_weights=self.language_weights)[0]

    def sentence(self, lang="en", low=6, high=18):
        """One sentence of `lang`, sometimes with a collocation or an English term in it."""
        words = self.rng.choices(
            self.words[lang], cum_weights=self.weights[lang], k=self.rng.randint(low, high)
        )
        if self.rng.random() < 0.3:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(COLLOCATIONS))
        if lang != "en" and self.rng.random() < 0.3:
            words.append(self.rng.choice(("AI", "data", "GPU", "open source", "SDG")))
        if self.rng.random() < 0.02:
            words.insert(self.rng.randrange(len(words)), self.rng.choice(NAMES))
        text = " ".join(words)
        return text[0].upper() + text[1:] + ("。" if lang == "zh" else ".")

    def title(self):
        """A thread title of a few words."""
        return self.sentence(self.language(), 4, 9).rstrip(".。")

    def plain_body(self, low=2, high=7):
        """A post of `low`..`high` sentences in one language, as plain text (for search)."""
        lang = self.language()
        return " ".join(self.sentence(lang) for _ in range(self.rng.randint(low, high)))

    def markdown_body(self):
        """A post in Markdown: paragraphs, sometimes a list, emphasis or a link (for rendered pages)."""
        paragraphs = [self.plain_body(1, 4) for _ in range(self.rng.randint(1, 3))]
        if self.rng.random() < 0.3:
            paragraphs.append("\n".join(f"- {self.sentence(low=3, high=8)}" for _ in range(3)))
        if self.rng.random() < 0.3:
            paragraphs[0] = f"**{self.sentence(low=2, high=4).rstrip('.')}**: " + paragraphs[0]
        if self.rng.random() < 0.2:
            slug = self.rng.randrange(1000)
            paragraphs.append(f"See [the report](https://example.org/reports/{slug}) for details.")
        return "\n\n".join(paragraphs)
