#include "figure_files.hpp"

#include <cctype>
#include <fstream>
#include <regex>
#include <set>
#include <vector>

namespace notmnist::testing {

bool is_png(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::string head(8, '\0');
  return in.read(head.data(), 8) && head == std::string("\x89PNG\r\n\x1a\n", 8);
}

std::string svg_error(const std::string& text) {
  std::vector<std::string> open;  // elements not yet closed, innermost last
  std::string root;
  auto fail = [](const std::string& what, std::size_t at) { return what + " at offset " + std::to_string(at); };
  for (std::size_t at = text.find('<'); at != std::string::npos; at = text.find('<', at)) {
    auto skip_to = [&](const char* end) {
      const std::size_t found = text.find(end, at);
      return found == std::string::npos ? found : found + std::char_traits<char>::length(end);
    };
    std::size_t next;
    if (text.compare(at, 2, "<?") == 0) {
      next = skip_to("?>");
    } else if (text.compare(at, 4, "<!--") == 0) {
      next = skip_to("-->");
    } else if (text.compare(at, 9, "<![CDATA[") == 0) {
      next = skip_to("]]>");
    } else if (text.compare(at, 2, "<!") == 0) {
      next = skip_to(">");
    } else if (text.compare(at, 2, "</") == 0) {
      next = skip_to(">");
      if (next == std::string::npos) return fail("unterminated end tag", at);
      std::string name = text.substr(at + 2, next - at - 3);
      while (!name.empty() && std::isspace(static_cast<unsigned char>(name.back()))) name.pop_back();
      if (open.empty() || open.back() != name) return fail("</" + name + "> closes nothing open", at);
      open.pop_back();
    } else {
      std::size_t end = at + 1;
      while (end < text.size() && !std::isspace(static_cast<unsigned char>(text[end])) && text[end] != '>' && text[end] != '/')
        ++end;
      const std::string name = text.substr(at + 1, end - at - 1);
      if (name.empty()) return fail("a tag without a name", at);
      char quote = 0;  // attribute values may hold '>'
      for (; end < text.size() && (quote || text[end] != '>'); ++end)
        if (quote ? text[end] == quote : text[end] == '"' || text[end] == '\'') quote = quote ? 0 : text[end];
      if (end == text.size()) return fail("unterminated <" + name + ">", at);
      if (open.empty() && !root.empty()) return fail("a second root element <" + name + ">", at);
      if (root.empty()) root = name;
      if (text[end - 1] != '/') open.push_back(name);
      next = end + 1;
    }
    if (next == std::string::npos) return fail("unterminated markup", at);
    at = next;
  }
  if (!open.empty()) return "<" + open.back() + "> is never closed";
  if (root != "svg") return "the root element is <" + root + ">, not <svg>";
  return {};
}

std::size_t svg_panels(const std::string& svg) {
  static const std::regex plot_group(R"re(id="gnuplot_plot_[0-9]+([a-z]*)")re");
  std::set<std::string> panels;
  for (std::sregex_iterator it(svg.begin(), svg.end(), plot_group), end; it != end; ++it) panels.insert((*it)[1].str());
  return panels.size();
}

}  // namespace notmnist::testing
