#include "distributed/distributed.h"

#include "common/error.h"

#include <cstdlib>
#include <regex>

namespace wse {

namespace {

const char *variable(const char *name)
{
    const char *value = std::getenv(name);
    return value && *value ? value : nullptr;
}

int integerVariable(const char *name, int fallback, int minimum)
{
    const char *text = variable(name);
    if (!text)
        return fallback;
    char *end = nullptr;
    const long value = std::strtol(text, &end, 10);
    if (*end != '\0' || value < minimum || value > 1000000)
        throw UsageError(std::string("the launcher's ") + name + "='" + text + "' is not a whole number of at least " +
                         std::to_string(minimum));
    return int(value);
}

// "2(x3),1" (SLURM_TASKS_PER_NODE) or "4": the first node's count.
int firstCount(const char *text, int fallback)
{
    if (!text)
        return fallback;
    const int value = std::atoi(text);
    return value > 0 ? value : fallback;
}

} // namespace

std::string firstSlurmHost(const std::string &nodeList)
{
    // Hosts are separated by commas outside brackets; a bracket holds numbers and ranges.
    static const std::regex first(R"(^([^,\[]+)(\[([^\]]*)\])?)");
    std::smatch match;
    if (!std::regex_search(nodeList, match, first))
        return nodeList;
    std::string host = match[1];
    if (match[3].matched) {
        std::string range = match[3];
        range = range.substr(0, range.find(','));
        host += range.substr(0, range.find('-'));
    }
    return host;
}

DistributedContext DistributedContext::fromEnvironment()
{
    DistributedContext context;
    if (variable("WORLD_SIZE") || variable("RANK")) {
        context.launcher = "torchrun";
        context.worldSize = integerVariable("WORLD_SIZE", 1, 1);
        context.rank = integerVariable("RANK", 0, 0);
        context.localRank = integerVariable("LOCAL_RANK", context.rank, 0);
        context.localWorldSize = integerVariable("LOCAL_WORLD_SIZE", context.worldSize, 1);
    } else if (variable("SLURM_PROCID") && integerVariable("SLURM_NTASKS", 1, 1) > 1) {
        context.launcher = "slurm";
        context.worldSize = integerVariable("SLURM_NTASKS", 1, 1);
        context.rank = integerVariable("SLURM_PROCID", 0, 0);
        context.localRank = integerVariable("SLURM_LOCALID", 0, 0);
        context.localWorldSize = firstCount(variable("SLURM_NTASKS_PER_NODE"), firstCount(variable("SLURM_TASKS_PER_NODE"), 1));
        if (const char *nodes = variable("SLURM_JOB_NODELIST") ? variable("SLURM_JOB_NODELIST") : variable("SLURM_NODELIST"))
            context.masterAddress = firstSlurmHost(nodes);
        if (const char *job = variable("SLURM_JOB_ID")) // one port per job: jobs sharing a node do not meet
            context.masterPort = 20000 + int(std::strtoul(job, nullptr, 10) % 10000);
    } else {
        return context;
    }
    context.connectSeconds = integerVariable("WSE_RENDEZVOUS_TIMEOUT", context.connectSeconds, 1);
    if (const char *address = variable("MASTER_ADDR"))
        context.masterAddress = address;
    context.masterPort = integerVariable("MASTER_PORT", context.masterPort, 1);
    if (context.masterPort > 65535)
        throw UsageError("the launcher's MASTER_PORT=" + std::to_string(context.masterPort) + " is not a TCP port");
    if (context.rank >= context.worldSize)
        throw UsageError("the launcher says rank " + std::to_string(context.rank) + " of " + std::to_string(context.worldSize) +
                         " processes");
    return context;
}

std::string DistributedContext::describe() const
{
    if (!active())
        return "one process";
    return "rank " + std::to_string(rank) + " of " + std::to_string(worldSize) + " (" + launcher + ", store " + masterAddress +
           ":" + std::to_string(masterPort) + ")";
}

} // namespace wse
