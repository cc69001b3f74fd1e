import json, gzip, re, random, datetime as dt
random.seed(7)
TZ = dt.timezone(dt.timedelta(hours=8))
rows = []  # (ref, input, expected_text, expected_rfc3339)
def add(ref, text, exp_text, exp):
    rows.append((ref.isoformat(), text, exp_text, exp.isoformat()))
flash = [json.loads(l) for l in gzip.open('data/news/finance-flash.dev.jsonl.gz', 'rt')]
random.shuffle(flash)
def ref_of(d): return dt.datetime.fromisoformat(d['datetime'])
def ctx(t, s, e, w=12):
    a = max(0, s - w); b = min(len(t), e + w)
    # keep only the same line; avoid digits touching
    return t[a:b]
def nearest(ref, m, d):
    best=None
    for y in (ref.year, ref.year-1, ref.year+1):
        try: c=dt.date(y,m,d)
        except ValueError: continue
        if best is None or abs((c-ref.date()).days) < abs((best-ref.date()).days): best=c
    return best
counts = {}
def want(kind, n):
    counts.setdefault(kind, 0)
    if counts[kind] >= n: return False
    counts[kind] += 1; return True
for d in flash:
    t = d['content']; ref = ref_of(d)
    # datelines
    m = re.match(r'(?:【[^】]*】)?((财联社|新华社|中新网|中新社)([\u4e00-\u9fff]{0,4}?)(\d{1,2})月(\d{1,2})日电)', t)
    if m and want('dateline', 25):
        day = nearest(ref, int(m.group(4)), int(m.group(5)))
        add(ref, m.group(1) + '，' , m.group(1), dt.datetime.combine(day, dt.time(0,0), TZ)); continue
    # month-day without time, not followed by digits or time words
    for m in re.finditer(r'(?<![\d年])(\d{1,2})月(\d{1,2})日(?![电\d\s上下午晚早凌中午夜间])', t):
        if want('md', 40):
            day = nearest(ref, int(m.group(1)), int(m.group(2)))
            if day is None: continue
            s = t[max(0,m.start()-8):m.start()]
            s = re.sub(r'^.*[\d今去明]', '', s)  # avoid digits/year words before
            add(ref, s + m.group(0) + t[m.end():m.end()+6].split('\n')[0].rstrip('0123456789.%'), m.group(0), dt.datetime.combine(day, dt.time(0,0), TZ))
        break
    # full dates
    m = re.search(r'(?<!\d)(20\d\d)年(\d{1,2})月(\d{1,2})日(?![\d电上下午晚早凌中夜])', t)
    if m and want('ymd', 20):
        add(ref, m.group(0), m.group(0), dt.datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), tzinfo=TZ))
    # clock hh:mm with full-width or ascii colon, preceded by a Han char
    m = re.search(r'(?<=[\u4e00-\u9fff])(?<![日天])([01]?\d|2[0-3])[:：]([0-5]\d)(?![\d:：])', t)
    if m and re.search(r'(凌晨|清晨|早上|早晨|早间|上午|中午|午间|午后|下午|傍晚|晚上|晚间|夜间|夜里|深夜|今晚|昨晚)$', t[:m.start()]):
        m = None
    if m and want('clock', 25):
        add(ref, t[max(0,m.start()-4):m.end()+3].split('\n')[-1], m.group(0), dt.datetime.combine(ref.date(), dt.time(int(m.group(1)), int(m.group(2))), TZ))
    # relative days
    m = re.search(r'(昨日|昨天|今日|今天|前一日)(?![\d])', t)
    if m and m.group(1) != '前一日' and want('relday', 25):
        shift = {'昨日':-1,'昨天':-1,'今日':0,'今天':0}[m.group(1)]
        nxt = t[m.end():m.end()+2]
        if re.match(r'[上下早晚凌中午夜深傍清\d]', nxt): counts['relday'] -= 1; continue
        add(ref, t[max(0,m.start()-3):m.end()+4].split('\n')[-1], m.group(1), dt.datetime.combine(ref.date()+dt.timedelta(days=shift), dt.time(0,0), TZ))
    # weekdays
    m = re.search(r'(?<![上下本这每])(周|星期)([一二三四五六日])(?![\d上下早晚凌中午夜深傍清])', t)
    if m and want('weekday', 20):
        target = '一二三四五六日'.index(m.group(2)); today = ref.weekday()
        monday = ref.date() - dt.timedelta(days=today)
        shift = -1 if target > today else 0
        day = monday + dt.timedelta(days=shift*7 + target)
        add(ref, t[max(0,m.start()-3):m.end()+4].split('\n')[-1], m.group(0), dt.datetime.combine(day, dt.time(0,0), TZ))
    # 上周/本周
    m = re.search(r'(上周|本周|下周)(?![一二三四五六日])', t)
    if m and want('week', 8):
        monday = ref.date() - dt.timedelta(days=ref.weekday())
        shift = {'上周':-7,'本周':0,'下周':7}[m.group(1)]
        add(ref, t[max(0,m.start()-3):m.end()+3].split('\n')[-1], m.group(1), dt.datetime.combine(monday+dt.timedelta(days=shift), dt.time(0,0), TZ))
    # day part + clock: 下午3点 etc
    m = re.search(r'(?<![日天])(上午|下午|晚间|晚上|凌晨)(\d{1,2})[点时](?:(\d{1,2})分)?', t)
    if m and want('partclock', 12):
        h = int(m.group(2)); mi = int(m.group(3) or 0)
        if m.group(1) in ('下午','晚间','晚上') and h < 12: h += 12
        add(ref, t[max(0,m.start()-3):m.end()+3].split('\n')[-1], m.group(0), dt.datetime.combine(ref.date(), dt.time(h, mi), TZ))
import sys
for r in rows: pass
print(counts, len(rows), file=sys.stderr)
with open(__import__('os').path.join(__import__('os').path.dirname(__file__), 'time-forms.tsv'),'w') as f:
    f.write('# reference\tinput (excerpt of a real item)\texpected match\texpected instant — from the finance-flash corpus, see time_forms.rs\n')
    for r in rows: f.write('\t'.join(x.replace('\t',' ') for x in r) + '\n')
