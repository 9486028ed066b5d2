// char_lm: a character-level language model, trained on a text file (by default the GPL-3 that
// Debian ships in /usr/share/common-licenses), reporting the loss per epoch and sampling text.
// CLI11 splits the command line; every value is checked (notmnist_grid's flag_values) before any
// work, so a bad value ends with one line naming the flag and exit code 2.
#include "char_lm.hpp"
#include "flag_values.hpp"

#include <CLI/CLI.hpp>

#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <string>

namespace {

constexpr int exit_diverged = 1, exit_bad_input = 2;

struct options {
  std::string text = "/usr/share/common-licenses/GPL-3", prompt = "The ";
  long long epochs = 10, batches = 50, batch = 32, seq = 64, sample = 300;
  double lr = 1e-2, clipnorm = 1.0, temperature = 0.8;
  std::uint64_t seed = 1;
};

options parse(int argc, char** argv) {
  CLI::App app{"char_lm: a character-level GRU language model (rnncell's SequenceModel) on an ASCII text"};
  std::string text, prompt, epochs, batches, batch, seq, sample, lr, clipnorm, temperature, seed;
  app.add_option("--text", text, "ASCII text to learn (default /usr/share/common-licenses/GPL-3)");
  app.add_option("--epochs", epochs, "epochs (default 10)");
  app.add_option("--batches", batches, "batches per epoch (default 50)");
  app.add_option("--batch", batch, "sequences per batch (default 32)");
  app.add_option("--seq", seq, "characters per sequence, the steps of BPTT (default 64)");
  app.add_option("--lr", lr, "Adam learning rate (default 1e-2)");
  app.add_option("--clipnorm", clipnorm, "gradient clipping by global norm, 0 for none (default 1)");
  app.add_option("--seed", seed, "seed of the weights, the windows and the sample (default 1)");
  app.add_option("--sample", sample, "characters to sample after training, 0 for none (default 300)");
  app.add_option("--temperature", temperature, "sampling temperature (default 0.8)");
  app.add_option("--prompt", prompt, "text the sample continues (default \"The \")");
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) std::exit(app.exit(e));  // --help
    throw notmnist::flag_error(std::string(e.what()) + " (--help lists the options)");
  }
  const auto given = [&](const char* flag) { return app.get_option(flag)->count() > 0; };
  using namespace notmnist;
  options o;
  if (given("--text")) o.text = parse_path_flag("--text", text);
  if (given("--epochs")) o.epochs = parse_integer_flag("--epochs", epochs, 1, 100000);
  if (given("--batches")) o.batches = parse_integer_flag("--batches", batches, 1, 1000000);
  if (given("--batch")) o.batch = parse_integer_flag("--batch", batch, 1, 4096);
  if (given("--seq")) o.seq = parse_integer_flag("--seq", seq, 1, 4096);
  if (given("--lr")) o.lr = parse_real_flag("--lr", lr, 0, 1);
  if (given("--clipnorm")) o.clipnorm = clipnorm == "0" ? 0.0 : parse_real_flag("--clipnorm", clipnorm, 0, 1e6);
  if (given("--seed")) o.seed = parse_unsigned_flag("--seed", seed);
  if (given("--sample")) o.sample = parse_integer_flag("--sample", sample, 0, 1000000);
  if (given("--temperature")) o.temperature = parse_real_flag("--temperature", temperature, 0, 100);
  if (given("--prompt")) {
    o.prompt = prompt;
    if (o.prompt.empty()) throw flag_error("--prompt must have at least one character, got ''");
    for (const char c : o.prompt)
      if (!(c == '\n' || (c >= ' ' && c <= '~')))
        throw flag_error("--prompt must be printable ASCII, got '" + o.prompt + "'");
  }
  return o;
}

int run(const options& o) {
  using clock = std::chrono::steady_clock;
  const std::size_t steps = std::size_t(o.seq), batch = std::size_t(o.batch);
  // Training reads the first 90% of the text, validation the rest; each needs one window + 1.
  const std::vector<int> text = char_lm::read_text(o.text, 10 * (steps + 2));
  const std::size_t split = text.size() * 9 / 10;
  std::printf("%s: %zu characters, %zu for training; GRU %zu, sequences of %zu, batches of %zu\n", o.text.c_str(),
              text.size(), split, char_lm::hidden, steps, batch);

  char_lm::model m(o.seed);
  m.optimizer().lr = float(o.lr);
  if (o.clipnorm > 0) m.optimizer().global_clipnorm = float(o.clipnorm);
  rnncell::rng windows(o.seed + 1);
  xt::xtensor<int, 2> ids(std::array{steps, batch}), targets(std::array{steps, batch});
  for (long long epoch = 1; epoch <= o.epochs; ++epoch) {
    const auto start = clock::now();
    double train = 0;
    for (long long i = 0; i < o.batches; ++i) {
      char_lm::random_windows(text, 0, split, windows, ids, targets);
      train += m.train_on_batch(ids, targets).loss;
    }
    train /= double(o.batches);
    rnncell::rng validation_windows(0);  // the same windows every epoch
    double validation = 0;
    for (int i = 0; i < 4; ++i) {
      char_lm::random_windows(text, split, text.size(), validation_windows, ids, targets);
      validation += m.evaluate(ids, targets).loss / 4;
    }
    const double seconds = std::chrono::duration<double>(clock::now() - start).count();
    std::printf("epoch %lld/%lld: train loss %.4f, validation loss %.4f (%.2f s)\n", epoch, o.epochs, train,
                validation, seconds);
    std::fflush(stdout);
    if (!std::isfinite(train) || !std::isfinite(validation)) {
      std::fprintf(stderr, "error: the loss is not finite: training diverged (try a smaller --lr)\n");
      return exit_diverged;
    }
  }
  if (o.sample > 0) {
    std::vector<int> prompt;
    for (const char c : o.prompt) prompt.push_back(c == '\n' ? 0 : c - ' ' + 1);
    rnncell::rng g(o.seed + 2);
    std::printf("sample: %s%s\n", o.prompt.c_str(),
                char_lm::sample(m, prompt, std::size_t(o.sample), steps, o.temperature, g).c_str());
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    return run(parse(argc, argv));
  } catch (const std::exception& e) {
    std::cerr << "error: " << e.what() << "\n";
    return exit_bad_input;
  }
}
