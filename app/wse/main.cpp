// wse: the command-line interface of Weight Space Explorer.
#include "checkpointcommands.h"
#include "devicescommand.h"
#include "generationcommands.h"
#include "infocommand.h"
#include "mapcommands.h"
#include "sanecommands.h"
#include "terminalprogress.h"
#include "zoocommands.h"

#include "common/buildinfo.h"
#include "common/error.h"
#include "common/isolatedread.h"
#include "common/log.h"

#include <CLI/CLI.hpp>

#include <csignal>
#include <iostream>
#include <new>

namespace {

// Says why the command failed (a line, or an "error" event in JSON format); the exit status.
int fail(const std::string &message)
{
    if (wse::progressFormat() == wse::ProgressFormat::Json)
        wse::reportFailure(message, 1);
    else
        std::cerr << "wse: error: " << message << "\n";
    return 1;
}

} // namespace

int main(int argc, char **argv)
{
    // A file-size limit (ulimit -f) then fails the write with EFBIG, which is reported with the file's
    // name and leaves the existing file as it was, instead of killing the process mid-write.
    std::signal(SIGXFSZ, SIG_IGN);
    // Files are tried in a child process first, so that one that crashes the HDF5 library is reported
    // (safe here: the CLI reads no file while another thread works).
    wse::setIsolatedReads(true);
    wse::setLogSink([](wse::LogLevel level, const std::string &message) {
        const char *kind = level == wse::LogLevel::Warning ? "warning: " : level == wse::LogLevel::Error ? "error: " : "";
        std::cerr << "wse: " << kind << message << "\n"; // an event of its own in JSON format
    });
    CLI::App app{"Weight Space Explorer: model zoos and SANE weight-space representations (wse <command> --help)"};
    app.name("wse");
    app.set_version_flag("--version", "wse " + wse::buildDescription());
    app.require_subcommand(1);
    app.fallthrough(); // --progress also after the command's name (its subcommands inherit this)
    std::string progress = "line";
    app.add_option("--progress", progress,
                   "How jobs report on stderr: line (a progress line for people) or json (one JSON object per line: "
                   "progress, messages, the result paths, an error; see docs/cli.md)")
        ->check(CLI::IsMember({"line", "json"}))
        ->each([](const std::string &format) {
            wse::setProgressFormat(format == "json" ? wse::ProgressFormat::Json : wse::ProgressFormat::Line);
        });
    wse::addZooCommands(app);
    wse::addCheckpointCommands(app);
    wse::addSaneCommands(app);
    wse::addEmbedCommand(app);
    wse::addProbeCommand(app);
    wse::addGenerationCommands(app);
    wse::addMapCommands(app);
    wse::addInfoCommand(app);
    wse::addDevicesCommand(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError &error) {
        if (wse::progressFormat() == wse::ProgressFormat::Json && error.get_exit_code() != 0)
            wse::reportFailure(error.what(), error.get_exit_code());
        return app.exit(error);
    } catch (const wse::Cancelled &) {
        if (wse::progressFormat() == wse::ProgressFormat::Json)
            wse::reportCancelled();
        return 130;
    } catch (const wse::Error &error) {
        return fail(error.what());
    } catch (const std::bad_alloc &) {
        return fail("out of memory (the input is larger than this machine's memory allows)");
    } catch (const std::exception &error) {
        // Readers turn what they know into wse::Error; what reaches here is a defect: say so.
        return fail(std::string("unexpected failure (please report it): ") + error.what());
    }
    if (wse::progressFormat() == wse::ProgressFormat::Json)
        wse::reportResult(wse::writtenPaths()); // the last event: what the command made
    return 0;
}
