#include "support/ical_readers.hpp"
#include "support/process.hpp"

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace creneau::test {

namespace {

constexpr const char* python_reader = R"PY(
import sys, datetime
from icalendar import Calendar
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
zones = {str(z['TZID']) for z in cal.walk('VTIMEZONE')}
def utc(e, key):
    prop = e[key]
    tzid = prop.params.get('TZID')
    assert tzid is None or tzid in zones, f'{key} names the zone {tzid}, which the feed lacks'
    v = e.decoded(key)
    if not isinstance(v, datetime.datetime):
        return v.isoformat()
    assert v.tzinfo is not None, f'{key} is a floating time'
    return v.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
for e in cal.walk('VEVENT'):
    print('event', e['UID'], utc(e, 'DTSTART'), utc(e, 'DTEND'))
)PY";

constexpr const char* node_reader = R"JS(
import fs from 'node:fs';
const ICAL = (await import(process.argv[2])).default;
const cal = new ICAL.Component(ICAL.parse(fs.readFileSync(process.argv[3], 'utf8')));
const zones = new Set();
for (const vt of cal.getAllSubcomponents('vtimezone')) {
  ICAL.TimezoneService.register(vt);
  zones.add(vt.getFirstPropertyValue('tzid'));
}
for (const v of cal.getAllSubcomponents('vevent')) {
  for (const key of ['dtstart', 'dtend']) {
    const tzid = v.getFirstProperty(key).getParameter('tzid');
    if (tzid && !zones.has(tzid)) throw new Error(`${key} names the zone ${tzid}, which the feed lacks`);
  }
  const e = new ICAL.Event(v);
  const utc = (t) => (t.isDate ? t.toString() : t.toJSDate().toISOString().replace('.000Z', 'Z'));
  console.log('event', e.uid, utc(e.startDate), utc(e.endDate));
}
)JS";

constexpr const char* python_expander = R"PY(
import sys, datetime
from icalendar import Calendar
import recurring_ical_events
cal = Calendar.from_ical(open(sys.argv[1], 'rb').read())
parse = lambda t: datetime.datetime.strptime(t, '%Y-%m-%dT%H:%M:%SZ').replace(tzinfo=datetime.timezone.utc)
utc = lambda v: v.astimezone(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
for e in sorted(recurring_ical_events.of(cal).between(parse(sys.argv[2]), parse(sys.argv[3])),
                key=lambda e: e.decoded('DTSTART')):
    print(e['UID'], utc(e.decoded('DTSTART')), utc(e.decoded('DTEND')), e.get('STATUS', ''))
)PY";

// "event UID START END" lines into the map; false if the output holds anything else.
bool parse_lines(const std::string& out,
                 std::map<std::string, std::pair<std::string, std::string>>& into) {
    std::istringstream in(out);
    std::string line;
    bool clean = true;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        std::string tag, uid, start, end;
        if (words >> tag >> uid >> start >> end && tag == "event")
            into[uid] = {start, end};
        else
            clean = false;
    }
    return clean;
}

}  // namespace

ical_reading read_ical(const std::string& feed) {
    temp_dir dir;
    auto file = dir.path() / "feed.ics";
    std::ofstream(file, std::ios::binary) << feed;
    std::ofstream(dir.path() / "read.py") << python_reader;
    std::ofstream(dir.path() / "read.mjs") << node_reader;
    ical_reading r;
    // Debian's Python, where python3-icalendar is installed.
    auto python = "/usr/bin/python3 " + (dir.path() / "read.py").string() + " " + file.string() +
                  " > " + (dir.path() / "python.out").string() + " 2>&1";
    int python_rc = std::system(python.c_str());
    auto python_out = read_file(dir.path() / "python.out");
    auto ical_js = std::string(CRENEAU_SOURCE_DIR) + "/web/node_modules/ical.js/dist/ical.js";
    auto node = "node " + (dir.path() / "read.mjs").string() + " " + ical_js + " " + file.string() +
                " > " + (dir.path() / "node.out").string() + " 2>&1";
    int node_rc = std::system(node.c_str());
    auto node_out = read_file(dir.path() / "node.out");
    r.log = "python3-icalendar:\n" + python_out + "ical.js:\n" + node_out;
    bool clean = parse_lines(python_out, r.python);
    clean = parse_lines(node_out, r.icaljs) && clean;
    r.ok = python_rc == 0 && node_rc == 0 && clean;
    return r;
}

std::vector<ical_occurrence> expand_ical(const std::string& feed, const std::string& from,
                                         const std::string& to, std::string& log) {
    temp_dir dir;
    auto file = dir.path() / "feed.ics";
    std::ofstream(file, std::ios::binary) << feed;
    std::ofstream(dir.path() / "expand.py") << python_expander;
    auto out_file = dir.path() / "expand.out";
    auto cmd = "/usr/bin/python3 " + (dir.path() / "expand.py").string() + " " + file.string() +
               " " + from + " " + to + " > " + out_file.string() + " 2>&1";
    int rc = std::system(cmd.c_str());
    log = read_file(out_file);
    std::vector<ical_occurrence> out;
    if (rc != 0) return out;
    std::istringstream in(log);
    std::string line;
    while (std::getline(in, line)) {
        std::istringstream words(line);
        ical_occurrence o;
        if (words >> o.uid >> o.start >> o.end) {
            words >> o.status;
            out.push_back(o);
        }
    }
    return out;
}

}  // namespace creneau::test
