//! Names as metadata and bylines write them: people (`By Jane Doe and
//! John Roe`, `张三 李四`, `Doe, Jane` from Scholar tags, roles and
//! credentials to drop) and outlets (a site-name field's tagline left off).
//! Used by the JSON-LD and `<meta>` readers here and by the body's byline
//! readers.

use serde_json::Value;

use crate::dom::collapse;

/// The outlet's name in a site-name field, which sites fill with a tagline
/// or a separator left over from their title template (`Utne – Cure
/// Ignorance`, `Parenting OC |`, `"Terabyte Systems"`, `/`): the part
/// that names the host (`utne.com`) when exactly one part does and the
/// others are Latin-script taglines. `RFI - 法国国际广播电台` stays whole:
/// there the other part is the name in the readers' script.
pub fn site_name(raw: &str, host: Option<&str>) -> Option<String> {
    const SEPARATORS: [&str; 6] = [" | ", " - ", " – ", " — ", ": ", " · "];
    const GENERIC_LABELS: [&str; 8] = ["www", "com", "org", "net", "edu", "gov", "blog", "news"];
    let trim = |s: &str| -> String {
        s.trim_matches(|c: char| c.is_whitespace() || "\"'“”|/-–—:·".contains(c))
            .to_string()
    };
    let whole = trim(raw);
    if !whole.chars().any(char::is_alphanumeric) {
        return None;
    }
    let labels: Vec<&str> = host
        .map(|h| {
            h.split('.')
                .filter(|l| l.len() >= 3 && !GENERIC_LABELS.contains(l))
                .collect()
        })
        .unwrap_or_default();
    let mut marked = whole.clone();
    for sep in SEPARATORS {
        marked = marked.replace(sep, "\u{1f}");
    }
    let parts: Vec<String> = marked
        .split('\u{1f}')
        .map(trim)
        .filter(|p| !p.is_empty())
        .collect();
    let names_host = |part: &str| {
        let squashed: String = part
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_lowercase())
            .collect();
        labels
            .iter()
            .any(|l| squashed.contains(l) || squashed.len() >= 4 && l.contains(squashed.as_str()))
    };
    let latin = |part: &str| part.chars().all(|c| !c.is_alphabetic() || c <= '\u{24f}');
    let naming: Vec<&String> = parts.iter().filter(|p| names_host(p)).collect();
    match naming.as_slice() {
        [name] if parts.len() > 1 && parts.iter().all(|p| p == *name || latin(p)) => {
            Some((*name).clone())
        }
        _ => Some(whole),
    }
}

/// Names without empty ones, sentences (60 characters or more) and
/// repeats in a row.
pub(super) fn name_list(mut names: Vec<String>) -> Vec<String> {
    names.retain(|a| !a.is_empty() && a.chars().count() < 60);
    names.dedup();
    names
}

/// The names of JSON-LD `author` values: the people, or with
/// `organizations` the authors typed `Organization` (the site crediting
/// itself, `Instructables`), which are left for when no person is named
/// anywhere on the page.
pub(super) fn ld_names(v: &Value, organizations: bool, out: &mut Vec<String>) {
    match v {
        Value::String(s) if !organizations => out.extend(split_authors(s)),
        Value::Object(o) => {
            let organization = o
                .get("@type")
                .and_then(Value::as_str)
                .is_some_and(|t| t.ends_with("Organization") || t == "Corporation");
            if organization != organizations {
                return;
            }
            if let Some(n) = o.get("name").and_then(Value::as_str) {
                out.push(clean_author(&collapse(n)));
            }
        }
        Value::Array(a) => a
            .iter()
            .take(20)
            .for_each(|x| ld_names(x, organizations, out)),
        _ => {}
    }
}

/// "By Jane Doe and John Roe" → [Jane Doe, John Roe]. A degree or role
/// after a comma stays with the one name before it
/// (`Angela Holliday-Bell, MD`, `Paul Frew, Home and Digital Security
/// Expert`): it describes that person rather than naming another.
pub fn split_authors(s: &str) -> Vec<String> {
    let s = collapse(s);
    let s = strip_byline_lead(&s);
    let mut names: Vec<String> = Vec::new();
    // Whether the last name came alone from its part (not out of
    // `A and B`, where a role after the comma is both people's).
    let mut last_alone = false;
    for part in s.split([',', '，', '、', ';', '；', '|', '/']) {
        let part = clean_author(part.trim().trim_start_matches("作者："));
        if part.is_empty() {
            continue;
        }
        if last_alone && describes_person(&part) {
            if let Some(last) = names.last_mut() {
                last.push_str(", ");
                last.push_str(&part);
                last_alone = false;
                continue;
            }
        }
        let before = names.len();
        names.extend(
            part.split(" and ")
                .flat_map(split_joined_names)
                .map(|p| clean_author(p.trim()))
                .filter(|p| !p.is_empty()),
        );
        last_alone = names.len() == before + 1;
    }
    names
}

/// `Jane Doe & John Roe`, `Nicholas Azulay + Isabelle Brauer`: two people
/// when each side is a full name; `Johnson & Johnson` or `Simon &
/// Schuster` is one company.
fn split_joined_names(part: &str) -> Vec<&str> {
    for joiner in [" & ", " + "] {
        let sides: Vec<&str> = part.split(joiner).collect();
        if sides.len() > 1 && sides.iter().all(|s| s.split_whitespace().count() >= 2) {
            return sides;
        }
    }
    vec![part]
}

/// The person's name in an author entry, without the degree or role
/// `split_authors` kept after a comma (`Angela Holliday-Bell, MD`).
pub(crate) fn name_part(author: &str) -> &str {
    author.split_once(", ").map_or(author, |(name, _)| name)
}

/// Post-nominal letters, written without their dots (`M.D.` is `MD`).
const CREDENTIALS: &[&str] = &[
    "MD", "DO", "PHD", "RN", "BSN", "MSN", "NP", "PA-C", "MPH", "MS", "MSC", "MA", "MBA", "JD",
    "ESQ", "CPA", "CFA", "CFP", "RD", "RDN", "LD", "LDN", "CDE", "CDCES", "DDS", "DMD", "DVM",
    "PHARMD", "PSYD", "EDD", "DPT", "OD", "CNM", "IBCLC", "LCSW", "LMFT", "LPC", "FACLM", "FACP",
    "FACC", "FAAP", "FACS", "CSCS", "E-RYT", "RYT", "MW", "JR", "SR", "II", "III", "IV",
];

/// Job titles a byline prints after the name (`Dietitian`, `Senior
/// Editor`, `Home and Digital Security Expert`), by their last word.
const ROLE_NOUNS: &[&str] = &[
    "editor",
    "writer",
    "reporter",
    "correspondent",
    "contributor",
    "columnist",
    "expert",
    "specialist",
    "dietitian",
    "nutritionist",
    "analyst",
    "strategist",
    "consultant",
    "producer",
    "photographer",
    "designer",
    "engineer",
    "developer",
    "manager",
    "director",
    "founder",
    "co-founder",
    "ceo",
    "cto",
    "officer",
    "scientist",
    "researcher",
    "professor",
    "physician",
    "therapist",
    "coach",
    "adviser",
    "advisor",
    "intern",
    "marketer",
    "chief",
    "journalist",
    "sommelier",
    "administrator",
];

/// Whether a part after a comma describes the person before it: degrees
/// (`MD`, `Ph.D.`, `E-RYT 200`, `Jr.`) or a role of a few words.
fn describes_person(part: &str) -> bool {
    let words: Vec<&str> = part.split_whitespace().collect();
    let credentials = words.iter().all(|w| {
        let letters: String = w.chars().filter(|&c| c != '.').collect();
        // Written in capitals or in a degree's own mixed case: `Ma` and
        // `Do` are names.
        let as_written = letters == letters.to_ascii_uppercase()
            || ["PhD", "PharmD", "PsyD", "EdD", "MSc", "Esq", "Jr", "Sr"]
                .contains(&letters.as_str());
        letters.chars().all(|c| c.is_ascii_digit())
            || as_written && CREDENTIALS.contains(&letters.to_ascii_uppercase().as_str())
    }) && words.iter().any(|w| !w.chars().all(|c| c.is_ascii_digit()));
    credentials || is_role(part)
}

/// A job title of a few words, by its last (`Staff Writer`, `Senior
/// Content Contributor`, `Editor-in-Chief`, `Journalist & Sommelier`).
pub(crate) fn is_role(s: &str) -> bool {
    let mut words = 0;
    let mut last = "";
    for w in s.split_whitespace() {
        words += 1;
        last = w;
    }
    let last = last.trim_end_matches(['.', ':']).to_ascii_lowercase();
    (1..=6).contains(&words)
        && (ROLE_NOUNS.contains(&last.as_str())
            || last.split('-').any(|part| ROLE_NOUNS.contains(&part)))
}

/// "By", "Written by", "Posted by", "Author:" before the names.
fn strip_byline_lead(s: &str) -> &str {
    after_byline_lead(s).unwrap_or(s)
}

/// What follows a byline lead (`By`, `Written by`, `Authors:` …), when the
/// text starts with one: empty when the names stand in the next element
/// or were cut off with a date after them.
pub(crate) fn after_byline_lead(s: &str) -> Option<&str> {
    byline_lead(s).map(|(_, rest)| rest)
}

/// The byline lead `s` starts with (lower-cased), and what follows it.
pub(crate) fn byline_lead(s: &str) -> Option<(&'static str, &str)> {
    [
        "this post was written by",
        "this article was written by",
        "this story was written by",
        "written by",
        "text by",
        "words by",
        "article by",
        "posted by",
        "reviewed by",
        "opinion by",
        "analysis by",
        "commentary by",
        "reporting by",
        "story by",
        "authors",
        "author",
        "by",
    ]
    .into_iter()
    // Compared in place: lower-casing the whole text first cost a copy of
    // every text node near a headline.
    .find(|lead| {
        s.as_bytes()
            .get(..lead.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(lead.as_bytes()))
            && s[lead.len()..]
                .chars()
                .next()
                .is_none_or(|c| c.is_whitespace() || c == ':')
    })
    // The leads are ASCII: a head equal to one ends on a character boundary.
    .map(|lead| {
        let rest = s[lead.len()..].trim_matches(|c: char| c == ':' || c.is_whitespace());
        (lead, rest)
    })
}

/// Quotes and footnote marks CMSs leave around a name (`"David Kim"`,
/// `MD*`).
pub(super) fn clean_author(s: &str) -> String {
    let name = s
        .trim_matches(|c: char| matches!(c, '"' | '\'' | '*' | '“' | '”' | '†'))
        .trim();
    crate::byline::unpadded_name(name).unwrap_or_else(|| name.to_string())
}

/// `Kim, Luke` as Scholar's tags and library catalogues write a name:
/// `Luke Kim`. Anything else (one name, a comma before a title or a second
/// person's name that is more than one word each side) is left as it is.
pub(super) fn given_name_first(name: &str) -> String {
    match name.split_once(',') {
        Some((family, given))
            if !given.contains(',')
                && family.split_whitespace().count() == 1
                && (1..=3).contains(&given.split_whitespace().count())
                && name
                    .chars()
                    .all(|c| c.is_alphabetic() || " ,.-'".contains(c)) =>
        {
            format!("{} {}", given.trim(), family.trim())
        }
        _ => name.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_names_lose_taglines_and_stray_separators() {
        let name = |raw: &str, host: &str| site_name(raw, Some(host));
        assert_eq!(
            name("Utne – Cure Ignorance", "www.utne.com").as_deref(),
            Some("Utne")
        );
        assert_eq!(
            name(
                "MonsGeek - - Make Cool Gears Accessible",
                "www.monsgeek.com"
            )
            .as_deref(),
            Some("MonsGeek")
        );
        assert_eq!(
            name(
                "Expert Digital Marketing For Design-Build Contractors | Contractor Growth Network",
                "www.contractorgrowthnetwork.com"
            )
            .as_deref(),
            Some("Contractor Growth Network")
        );
        assert_eq!(
            name("Parenting OC |", "parentingoc.com").as_deref(),
            Some("Parenting OC")
        );
        assert_eq!(
            name("\"Terabyte Systems\"", "terabyte.systems").as_deref(),
            Some("Terabyte Systems")
        );
        assert_eq!(name("/", "www.kaspersky.com"), None);
        // Kept whole: the other part is the name in another script, both
        // parts name the host, or none does.
        assert_eq!(
            name("RFI - 法国国际广播电台", "www.rfi.fr").as_deref(),
            Some("RFI - 法国国际广播电台")
        );
        assert_eq!(
            name(
                "Admissions Blog - University of Illinois Urbana-Champaign",
                "blog.admissions.illinois.edu"
            )
            .as_deref(),
            Some("Admissions Blog - University of Illinois Urbana-Champaign")
        );
        assert_eq!(
            name("Wirecutter: Reviews for the Real World", "www.nytimes.com").as_deref(),
            Some("Wirecutter: Reviews for the Real World")
        );
        assert_eq!(site_name("新浪财经", None).as_deref(), Some("新浪财经"));
    }

    #[test]
    fn author_leads_and_marks_are_dropped() {
        assert_eq!(
            split_authors("Written By Angela Holliday-Bell, MD*"),
            ["Angela Holliday-Bell, MD"]
        );
        assert_eq!(split_authors("\"David Kim\""), ["David Kim"]);
        // Degrees and roles after a comma describe the name before them.
        assert_eq!(
            split_authors("By Paul Frew, Home and Digital Security Expert"),
            ["Paul Frew, Home and Digital Security Expert"]
        );
        assert_eq!(
            split_authors("Michael Greger, M.D. FACLM, Holly Wilgus, E-RYT 200"),
            ["Michael Greger, M.D. FACLM", "Holly Wilgus, E-RYT 200"]
        );
        assert_eq!(
            split_authors("Jane Doe, Ph.D., John Roe"),
            ["Jane Doe, Ph.D.", "John Roe"]
        );
        // A role after two names is both people's, and `Ma` is a name.
        assert_eq!(
            split_authors("Julie Weisenhorn and Natalie Hoidal, Extension editor"),
            ["Julie Weisenhorn", "Natalie Hoidal", "Extension editor"]
        );
        assert_eq!(split_authors("Wang Li, Ma"), ["Wang Li", "Ma"]);
        assert_eq!(
            split_authors("By Jane Doe and John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(
            split_authors("By Nicholas Azulay + Isabelle Brauer"),
            ["Nicholas Azulay", "Isabelle Brauer"]
        );
        assert_eq!(
            split_authors("By Jane Doe & John Roe"),
            ["Jane Doe", "John Roe"]
        );
        assert_eq!(split_authors("Johnson & Johnson"), ["Johnson & Johnson"]);
        assert_eq!(split_authors("Byron Smith"), ["Byron Smith"]);
        assert!(split_authors("Written By").is_empty());
        assert_eq!(split_authors("Authors : Jane Doe"), ["Jane Doe"]);
        assert_eq!(
            split_authors("This post was written by Vanessa Mendez, MD"),
            ["Vanessa Mendez, MD"]
        );
    }
}
