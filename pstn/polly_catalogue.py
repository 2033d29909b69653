"""Amazon Polly's catalogue as Speak and SpeakAndGetDigits meet it: the voice IDs and language codes
Polly's SynthesizeSpeech accepts (a snapshot of the enums in Polly's API model, botocore 1.44.8).

Polly, not the action's own frame, refuses an unknown voice or language code, when the action runs:
the action fails with InvalidActionParameter (Developer Guide, "Speak": "error validating the action
parameters"). Which voice supports which engine is not checked (not modelled: each engine's voice
list changes more often than this snapshot). Stdlib-only.
"""

from __future__ import annotations

VOICE_IDS = frozenset(
    {
        "Aditi", "Adriano", "Ambre", "Amy", "Andres", "Aria", "Arjun", "Arlet", "Arthur", "Astrid",
        "Ayanda", "Beatrice", "Bianca", "Brian", "Burcu", "Camila", "Carla", "Carlos", "Carmen", "Carolina",
        "Celine", "Chantal", "Conchita", "Cristiano", "Curtis", "Daniel", "Danielle", "Dora", "Elin",
        "Emma", "Enrique", "Ewa", "Filiz", "Florian", "Gabrielle", "Geraint", "Giorgio", "Gregory",
        "Gwyneth", "Hala", "Hannah", "Hans", "Hiujin", "Hyunduk", "Ida", "Ines", "Isabelle", "Ivy", "Jacek",
        "Jan", "Jasmine", "Jihye", "Jitka", "Joanna", "Joey", "Justin", "Kajal", "Karl", "Kazuha", "Kendra",
        "Kenneth", "Kevin", "Kiara", "Kimberly", "Laura", "Lea", "Lennart", "Leo", "Liam", "Lisa", "Liv",
        "Lorenzo", "Lotte", "Lucia", "Lupe", "Mads", "Maja", "Marlene", "Mathieu", "Matthew", "Maxim",
        "Mia", "Miguel", "Mizuki", "Naja", "Nate", "Niamh", "Nicole", "Ola", "Olivia", "Pedro", "Penelope",
        "Raveena", "Remi", "Ricardo", "Ruben", "Russell", "Ruth", "Sabrina", "Salli", "Seoyeon", "Sergio",
        "Sofie", "Stephen", "Suvi", "Takumi", "Tatyana", "Thiago", "Tiffany", "Tina", "Tomoko", "Vicki",
        "Vitoria", "Zayd", "Zeina", "Zhiyu",
    }
)

LANGUAGE_CODES = frozenset(
    {
        "ar-AE", "arb", "ca-ES", "cmn-CN", "cs-CZ", "cy-GB", "da-DK", "de-AT", "de-CH", "de-DE", "en-AU",
        "en-GB", "en-GB-WLS", "en-IE", "en-IN", "en-NZ", "en-SG", "en-US", "en-ZA", "es-ES", "es-MX",
        "es-US", "fi-FI", "fr-BE", "fr-CA", "fr-FR", "hi-IN", "is-IS", "it-IT", "ja-JP", "ko-KR", "nb-NO",
        "nl-BE", "nl-NL", "pl-PL", "pt-BR", "pt-PT", "ro-RO", "ru-RU", "sv-SE", "tr-TR", "yue-CN",
    }
)
