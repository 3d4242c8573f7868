#include "common/textfile.h"

#include "common/atomicfile.h"
#include "common/error.h"
#include "common/filekind.h"

#include <fstream>
#include <sstream>

namespace wse {

std::string readTextFile(const std::string &path)
{
    requireRegularFile(path);
    std::ifstream in(path, std::ios::binary);
    if (!in)
        throw IoError(path, "cannot open (no such file or no permission)");
    std::ostringstream text;
    text << in.rdbuf();
    if (in.bad())
        throw IoError(path, "read error");
    return text.str();
}

void writeTextFile(const std::string &path, const std::string &text)
{
    AtomicFile file(path);
    file.write(text);
    file.commit();
}

std::string csvField(const std::string &text)
{
    if (text.find_first_of(",\"\n\r") == std::string::npos)
        return text;
    std::string quoted = "\"";
    for (char c : text)
        quoted += c == '"' ? std::string("\"\"") : std::string(1, c);
    return quoted + "\"";
}

} // namespace wse
