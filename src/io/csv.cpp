// CSV/TSV tables of numbers with a header row. Numbers are checked against a strict decimal
// grammar before std::strtod converts them: strtod alone would also accept hex floats, "nan",
// "inf" and leading junk, and we want each of those reported where it occurs.
#include <cmath>
#include <cstdlib>
#include <set>
#include <string>
#include <vector>

#include "sparsity_probe/error.hpp"
#include "sparsity_probe/readers.hpp"

namespace sparsity_probe {
namespace {

struct Line {
    std::size_t number = 0;  // 1-based, as an editor shows it
    std::string text;
};

std::vector<Line> split_lines(const std::vector<unsigned char>& bytes) {
    std::size_t start = 0;
    if (bytes.size() >= 3 && bytes[0] == 0xEF && bytes[1] == 0xBB && bytes[2] == 0xBF) start = 3;  // UTF-8 BOM
    std::vector<Line> lines;
    std::size_t number = 1;
    while (start < bytes.size()) {
        std::size_t end = start;
        while (end < bytes.size() && bytes[end] != '\n') ++end;
        std::size_t stop = end;
        if (stop > start && bytes[stop - 1] == '\r') --stop;
        lines.push_back({number, std::string(reinterpret_cast<const char*>(bytes.data()) + start, stop - start)});
        ++number;
        start = end + 1;
    }
    return lines;
}

std::string trim(const std::string& s) {
    std::size_t b = 0, e = s.size();
    while (b < e && (s[b] == ' ' || s[b] == '\t')) ++b;
    while (e > b && (s[e - 1] == ' ' || s[e - 1] == '\t')) --e;
    return s.substr(b, e - b);
}

bool blank(const std::string& s) { return trim(s).empty(); }

// Split one line on the delimiter, honouring double quotes ("a,b" and "" for a literal quote).
// Returns false for an unterminated quote.
bool split_fields(const std::string& line, char delimiter, std::vector<std::string>& fields) {
    fields.clear();
    std::string field;
    bool quoted = false;
    for (std::size_t k = 0; k < line.size(); ++k) {
        const char c = line[k];
        if (quoted) {
            if (c == '"' && k + 1 < line.size() && line[k + 1] == '"') {
                field += '"';
                ++k;
            } else if (c == '"') {
                quoted = false;
            } else {
                field += c;
            }
        } else if (c == '"' && trim(field).empty()) {
            field.clear();
            quoted = true;
        } else if (c == delimiter) {
            fields.push_back(trim(field));
            field.clear();
        } else {
            field += c;
        }
    }
    fields.push_back(trim(field));
    return !quoted;
}

char sniff_delimiter(const std::string& header) {
    const char candidates[3] = {'\t', ',', ';'};  // ties go to the earlier one
    char best = ',';
    std::size_t best_count = 0;
    for (char c : candidates) {
        std::size_t count = 0;
        bool quoted = false;
        for (char h : header) {
            if (h == '"') quoted = !quoted;
            if (!quoted && h == c) ++count;
        }
        if (count > best_count) {
            best = c;
            best_count = count;
        }
    }
    return best;
}

std::string lower(std::string s) {
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

// Optional sign, digits with at most one '.', at least one digit, optional exponent with digits.
bool is_decimal(const std::string& s) {
    std::size_t k = 0;
    if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
    std::size_t digits = 0;
    while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k, ++digits;
    if (k < s.size() && s[k] == '.') {
        ++k;
        while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k, ++digits;
    }
    if (digits == 0) return false;
    if (k < s.size() && (s[k] == 'e' || s[k] == 'E')) {
        ++k;
        if (k < s.size() && (s[k] == '+' || s[k] == '-')) ++k;
        std::size_t exponent_digits = 0;
        while (k < s.size() && s[k] >= '0' && s[k] <= '9') ++k, ++exponent_digits;
        if (exponent_digits == 0) return false;
    }
    return k == s.size();
}

bool is_non_finite_word(const std::string& s) {
    std::string w = lower(s);
    if (!w.empty() && (w[0] == '+' || w[0] == '-')) w.erase(0, 1);
    return w == "nan" || w == "inf" || w == "infinity" || w == "na" || w == "n/a" || w == "null" || w == "none";
}

std::string quoted_excerpt(const std::string& text) {
    std::string shown = text.size() > 40 ? text.substr(0, 40) + "..." : text;
    return "\"" + shown + "\"";
}

}  // namespace

Table read_csv(const std::vector<unsigned char>& bytes, const std::string& source) {
    const std::vector<Line> lines = split_lines(bytes);
    std::size_t first = 0;
    while (first < lines.size() && blank(lines[first].text)) ++first;
    if (first == lines.size()) throw InputError(source + ": empty file; expected a header row naming the columns");

    // np.savetxt(..., header=...) writes the header as a comment: "# a,b,c".
    std::string header_text = lines[first].text;
    if (!header_text.empty() && header_text[0] == '#') header_text.erase(0, 1);
    const char delimiter = sniff_delimiter(header_text);

    Table table;
    std::vector<std::string> fields;
    if (!split_fields(header_text, delimiter, fields)) {
        throw InputError(source + ": line " + std::to_string(lines[first].number) + ": unterminated quote in the header");
    }
    std::set<std::string> names;
    for (std::size_t c = 0; c < fields.size(); ++c) {
        if (fields[c].empty()) {
            const std::string hint = c == 0 ? " (a saved pandas index? use to_csv(..., index=False))" : "";
            throw InputError(source + ": line " + std::to_string(lines[first].number) + ": column " +
                             std::to_string(c + 1) + " has no name" + hint +
                             "; the first row must be a header naming every column");
        }
        // Plain integers are legitimate names (pandas numbers columns 0, 1, 2, ...); "1.5e+00" is data.
        if (is_decimal(fields[c]) && fields[c].find_first_not_of("0123456789") != std::string::npos) {
            throw InputError(source + ": line " + std::to_string(lines[first].number) +
                             ": the first row looks like data (" + quoted_excerpt(fields[c]) +
                             "); add a header row naming the columns");
        }
        if (!names.insert(fields[c]).second) {
            throw InputError(source + ": line " + std::to_string(lines[first].number) + ": column name '" + fields[c] +
                             "' appears twice in the header");
        }
    }
    table.columns = fields;
    const std::size_t ncols = table.columns.size();

    for (std::size_t l = first + 1; l < lines.size(); ++l) {
        const Line& line = lines[l];
        if (blank(line.text)) continue;
        const std::string at = source + ": line " + std::to_string(line.number);
        if (!split_fields(line.text, delimiter, fields)) throw InputError(at + ": unterminated quote");
        if (fields.size() != ncols) {
            throw InputError(at + " has " + std::to_string(fields.size()) + " fields but the header has " +
                             std::to_string(ncols) + " columns");
        }
        for (std::size_t c = 0; c < ncols; ++c) {
            const std::string& cell = fields[c];
            const std::string where = at + ", column '" + table.columns[c] + "'";
            if (cell.empty()) throw InputError(where + ": empty cell; every cell must hold a number");
            if (is_non_finite_word(cell)) {
                throw InputError(where + ": missing or non-finite value " + quoted_excerpt(cell) +
                                 "; remove or impute it");
            }
            if (!is_decimal(cell)) {
                std::string hint;
                if (delimiter == ';' && cell.find(',') != std::string::npos) hint = " (decimal commas are not supported; use '.')";
                if (cell.find(' ') != std::string::npos) hint = " (space-separated? separate columns with tabs, commas or semicolons)";
                throw InputError(where + ": expected a number, found " + quoted_excerpt(cell) + hint);
            }
            // The grammar check guarantees strtod consumes the whole cell; in the "C" locale,
            // which this library never changes, '.' is the decimal point.
            const double value = std::strtod(cell.c_str(), nullptr);
            if (!std::isfinite(value)) {
                throw InputError(where + ": number " + quoted_excerpt(cell) + " is out of range");
            }
            table.values.push_back(value);
        }
        ++table.rows;
    }
    return table;
}

}  // namespace sparsity_probe
