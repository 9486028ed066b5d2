#include "program.hpp"

#include <fcntl.h>
#include <stdexcept>
#include <unistd.h>

namespace notmnist::testing {

namespace {
std::vector<std::string> command(const std::vector<std::string>& args) {
  std::vector<std::string> argv{NOTMNIST_GRID_EXE};
  argv.insert(argv.end(), args.begin(), args.end());
  return argv;
}
}  // namespace

process_result run_grid_program(const std::vector<std::string>& args, const std::filesystem::path& cwd) {
  return run_process(command(args), cwd);
}

int start_grid_program(const std::vector<std::string>& args, const std::filesystem::path& log) {
  const auto argv_strings = command(args);
  std::vector<char*> argv;
  for (const auto& a : argv_strings) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  const pid_t pid = ::fork();
  if (pid < 0) throw std::runtime_error("cannot fork to start notmnist_grid");
  if (pid == 0) {
    const int fd = ::open(log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    ::dup2(fd, STDOUT_FILENO);
    ::dup2(fd, STDERR_FILENO);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace notmnist::testing
