#include "common/textfile.h"

#include "common/atomicfile.h"
#include "common/error.h"

#include <fstream>
#include <sstream>

namespace wse {

std::string readTextFile(const std::string &path)
{
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
    {
        std::ofstream out(file.temporaryPath(), std::ios::binary | std::ios::trunc);
        if (!out)
            throw IoError(path, "cannot create file");
        out << text;
        if (!out.flush())
            throw IoError(path, "write failed (disk full?)");
    }
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
