"""Build tests/corpora/models from mirrored public repositories (fetched snapshots under
/work/.mirror).  The copies are third-party files: git-ignored, never committed; the
sidecar JSONs (repo, path, commit, licence, split) are ours and are committed."""

import ast
import hashlib
import json
import pathlib
import subprocess

M = pathlib.Path("/work/.mirror")
OUT = pathlib.Path("/work/main/tests/corpora/models")
PICKS = {
    "pytorch/examples": [
        "mnist/main.py",
        "vae/main.py",
        "word_language_model/model.py",
        "super_resolution/model.py",
        "dcgan/main.py",
        "fast_neural_style/neural_style/transformer_net.py",
        "fast_neural_style/neural_style/vgg.py",
        "reinforcement_learning/actor_critic.py",
        "reinforcement_learning/reinforce.py",
        "time_sequence_prediction/train.py",
        "siamese_network/main.py",
        "mnist_rnn/main.py",
        "mnist_forward_forward/main.py",
        "gcn/main.py",
        "gat/main.py",
        "legacy/snli/model.py",
        "language_translation/src/model.py",
        "distributed/FSDP2/model.py",
        "distributed/minGPT-ddp/mingpt/model.py",
        "distributed/tensor_parallelism/llama2_model.py",
    ],
    "karpathy/nanoGPT": ["model.py"],
    "karpathy/minGPT": ["mingpt/model.py"],
    "XuXingyu-98/Recurrent-models": [
        "LSTM_cell.py",
        "GRU_cell.py",
        "Basic_RNN_cell.py",
        "Rnn_model.py",
    ],
    "TecXCTO/nn": [
        "src/nn/Recurrent_Neural_Networks/lstm.py",
        "src/nn/Recurrent_Neural_Networks/simpleRNN.py",
        "src/nn/Attention_&_Transformers/simpleAttention.py",
    ],
    "mlnomadpy/devfest": [
        "src/model/mlp.py",
        "src/model/attention.py",
        "src/model/transformer_block.py",
    ],
    "davidesartor/MLGW": ["CNF/jax/models.py"],
    "kazewong/ModelLibrary": ["src/kazeML/jax/common/modules/Resnet.py"],
    "Skylyong/MLP_with_numpy": ["mlp.py"],
    "Nate-yu/dive-into-dl": [
        "chapter03_multilayer-perceptrons/numerical-stability-and-init.py",
        "chapter03_multilayer-perceptrons/mlp-scratch.py",
        "chapter06_convolutional-modern/resnet.py",
        "chapter05_convolutional-neural-networks/lenet.py",
        "chapter06_convolutional-modern/batch-norm.py",
    ],
    "jdh4/python-gpu": ["jax/example.py"],
    "WilliamZhang20/ML-in-JAX": ["mnist_nn.py"],
    "anshul-2010/DA6401-Introduction-to-Deep-Learning": [
        "Assignment_1/Utility/activation.py",
        "Assignment_1/Utility/forward_prop.py",
        "Assignment_1/Utility/backward_prop.py",
        "Assignment_1/Utility/loss_function.py",
    ],
    "sirius911/multilayer-perceptron": ["srcs/activations.py"],
    "cin-tie/shape_detector": ["nn/activations.py", "nn/layers.py", "nn/loss.py"],
}
MAX_LINES = 600


def git(repo, *args):
    d = M / repo.replace("/", "+") / "repo"
    return subprocess.run(
        ["git", "-C", str(d), *args], capture_output=True, text=True, check=True
    ).stdout


def licence(repo):
    names = git(repo, "ls-tree", "--name-only", "HEAD").split()
    for n in names:
        if n.lower().startswith(("license", "licence", "copying")):
            head = git(repo, "show", f"HEAD:{n}").strip().splitlines()
            return head[0].strip() if head else n
    return None


def cut(text):
    lines = text.splitlines(keepends=True)
    if len(lines) <= MAX_LINES:
        return text, False
    tree = ast.parse(text)
    keep = [
        n
        for n in tree.body
        if isinstance(n, (ast.Import, ast.ImportFrom, ast.ClassDef, ast.FunctionDef))
    ]
    parts = [
        "".join(lines[n.lineno - 1 - len(getattr(n, "decorator_list", []) or []) : n.end_lineno])
        for n in keep
    ]
    return "\n\n".join(parts) + "\n", True


for repo, paths in PICKS.items():
    commit = git(repo, "rev-parse", "HEAD").strip()
    lic = licence(repo)
    for path in paths:
        key = f"{repo}/{path}"
        h = hashlib.sha256(key.encode()).digest()[0]
        split = "heldout" if h % 3 == 0 else "dev"
        text = git(repo, "show", f"{commit}:{path}")
        text, was_cut = cut(text)
        slug = (
            (repo.split("/")[0] + "__" + repo.split("/")[1] + "__" + path)
            .replace("/", "__")
            .replace("&", "and")
        )
        slug = slug.replace("-", "_")
        (OUT / split).mkdir(parents=True, exist_ok=True)
        (OUT / split / slug).write_text(text)
        (OUT / split / (slug[:-3] + ".json")).write_text(
            json.dumps(
                {
                    "repo": repo,
                    "path": path,
                    "commit": commit,
                    "licence": lic,
                    "cut_to_model_parts": was_cut,
                    "split_by": "sha256(repo/path)[0] % 3 == 0 -> heldout",
                },
                indent=1,
            )
            + "\n"
        )
        print(split, len(text.splitlines()), key)
