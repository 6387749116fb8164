"""Build tests/corpora/models from mirrored public repositories (fetched snapshots under
/work/.mirror).  The copies are third-party files: git-ignored, never committed; the
sidecar JSONs (repo, path, commit, licence, split) are ours and are committed.

PICKS is split dev/heldout by a hash of the source path; HELDOUT2 is a second,
wholly held-out set (round 3), chosen by what the files are before any run and
never shown to whoever works on the reader; HELDOUT3 is a third, from
repositories none of the earlier splits uses, likewise chosen before any run;
HELDOUT4 is a fourth, from repositories none of the first three uses (nor any
other snapshot fetched before it), chosen the same way; HELDOUT5 is a fifth, from
repositories none of the first four uses (nor any snapshot fetched before it);
HELDOUT6 is a sixth, from repositories none of the first five uses (likewise);
HELDOUT7 is a seventh, from repositories none of the first six uses (likewise);
HELDOUT8 is an eighth, from repositories none of the first seven uses (likewise);
HELDOUT9 is a ninth, from repositories none of the first eight uses (likewise);
HELDOUT10 is a tenth, from repositories none of the first nine uses (likewise).

Run:  .venv/bin/python benchmarks/model_corpus.py [dev heldout heldout2 heldout3 heldout4
      heldout5 heldout6 heldout7 heldout8 heldout9 heldout10]
(no argument: every split; dev and heldout are built together)."""

import ast
import hashlib
import json
import pathlib
import subprocess
import sys

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
# Round 3: a fresh held-out set, all of it held out (none of these files is in PICKS).
HELDOUT2 = {
    "kuangliu/pytorch-cifar": [
        "models/resnet.py",
        "models/vgg.py",
        "models/mobilenetv2.py",
        "models/preact_resnet.py",
        "models/lenet.py",
    ],
    "karpathy/makemore": ["makemore.py"],
    "karpathy/ng-video-lecture": ["gpt.py", "bigram.py"],
    "yunjey/pytorch-tutorial": [
        "tutorials/01-basics/feedforward_neural_network/main.py",
        "tutorials/02-intermediate/deep_residual_network/main.py",
        "tutorials/02-intermediate/recurrent_neural_network/main.py",
        "tutorials/02-intermediate/bidirectional_recurrent_neural_network/main.py",
        "tutorials/03-advanced/variational_autoencoder/main.py",
    ],
    "MichalDanielDobrzanski/DeepLearningPython": ["network.py", "network2.py"],
    "JiapengWu/TeMP": ["baselines/custom_gru.py", "models/GRU_cell.py"],
    "mohsenh17/jaxLearning": ["jax/mlp.py"],
    "joshhansen/MLPortfolio": [
        "microlens/flax/flax-microlens.py",
        "microlens/jax/jax-microlens.py",
    ],
    "m-a-islam/master-thesis": [
        "cnn/mobile_net_v2/seed_mobile_net.py",
        "cnn/resNet/resnet_seed.py",
    ],
    "dongdonghy/Detection-PyTorch-Notebook": [
        "chapter2/mlp.py",
        "chapter3/vgg.py",
        "chapter3/resnet_bottleneck.py",
        "chapter7/mobilenet_v2_block.py",
    ],
    "azure-123/Dive-into-deep-learning": [
        "pytorch/4-多层感知机/4-8_数值稳定性和模型初始化.py",
        "pytorch/4-多层感知机/4-10_实战Kaggle比赛：预测房价.py",
        "pytorch/5-深度学习计算/5-1_层和块.py",
        "pytorch/7-现代卷积神经网络/7-6_残差网络（ResNet）.py",
    ],
    "JakubZojdzik/DigitRecognitionAI": ["network.py"],
    "lucidrains/vit-pytorch": ["vit_pytorch/vit.py"],
    "kaiweihuang/CS231n": [
        "assignment2/cs231n/layers.py",
        "assignment3/cs231n/rnn_layers.py",
    ],
    "young31/Deep-Learning": ["activation/codes/activation(pytorch).py"],
    "noahzhy/Jax-Fit": ["model.py"],
    "aryeshguha1510/MRMprojectrepo1": ["model2.py"],
    "DAMONYLY/General_detection": [
        "model/layers/activate.py",
        "model/loss/loss.py",
        "model/backbones/resnet.py",
    ],
}
# A third wholly held-out set: no repository of PICKS or HELDOUT2, none of its
# files ever run through chainlens before it was frozen here.
HELDOUT3 = {
    "milesial/Pytorch-UNet": ["unet/unet_parts.py", "unet/unet_model.py"],
    "eriklindernoren/PyTorch-GAN": [
        "implementations/gan/gan.py",
        "implementations/dcgan/dcgan.py",
        "implementations/wgan_gp/wgan_gp.py",
        "implementations/srgan/models.py",
    ],
    "AntixK/PyTorch-VAE": ["models/vanilla_vae.py", "models/beta_vae.py"],
    "hyunwoongko/transformer": [
        "models/layers/layer_norm.py",
        "models/layers/multi_head_attention.py",
        "models/layers/position_wise_feed_forward.py",
        "models/blocks/encoder_layer.py",
    ],
    "MorvanZhou/PyTorch-Tutorial": [
        "tutorial-contents/401_CNN.py",
        "tutorial-contents/402_RNN_classifier.py",
        "tutorial-contents/404_autoencoder.py",
        "tutorial-contents/406_GAN.py",
    ],
    "weiaicunzai/pytorch-cifar100": ["models/resnet.py", "models/vgg.py", "models/densenet.py"],
    "jadore801120/attention-is-all-you-need-pytorch": [
        "transformer/Modules.py",
        "transformer/SubLayers.py",
        "transformer/Layers.py",
    ],
    "clcarwin/focal_loss_pytorch": ["focalloss.py"],
    "eriklindernoren/ML-From-Scratch": [
        "mlfromscratch/deep_learning/activation_functions.py",
        "mlfromscratch/deep_learning/loss_functions.py",
        "mlfromscratch/deep_learning/neural_network.py",
    ],
    "google/flax": [
        "examples/vae/models.py",
        "examples/imagenet/models.py",
        "examples/mnist/train.py",
    ],
    "ZacBi/CS224n-2019-solutions": [
        "assignments/a3/parser_model.py",
        "assignments/a5/cnn.py",
        "assignments/a5/highway.py",
        "assignments/a5/char_decoder.py",
    ],
    "openai/CLIP": ["clip/model.py"],
    "facebookresearch/ConvNeXt": ["models/convnext.py"],
    "L1aoXingyu/pytorch-beginner": [
        "04-Convolutional Neural Network/convolution_network.py",
        "05-Recurrent Neural Network/recurrent_network.py",
        "08-AutoEncoder/Variational_autoencoder.py",
    ],
    "onucharles/lstm-gru-pytorch": ["lstm.py", "gru.py"],
    "Lexie88rus/Activation-functions-examples-pytorch": ["custom_activations_example.py"],
    "raphaelsenn/rnn-lstm-gru-numpy": ["nn_np/rnn_np.py"],
    "jax-ml/jax": ["examples/mnist_classifier_fromscratch.py", "examples/mnist_vae.py"],
}
# A fourth wholly held-out set (round 4): no repository of PICKS, HELDOUT2 or
# HELDOUT3, none of its files ever run through chainlens before it was frozen here.
HELDOUT4 = {
    "hunkim/PyTorchZeroToAll": [
        "10_1_cnn_mnist.py",
        "11_1_toy_inception_mnist.py",
        "13_2_rnn_classification.py",
        "seq2seq_models.py",
    ],
    "jcjohnson/pytorch-examples": [
        "tensor/two_layer_net_numpy.py",
        "autograd/two_layer_net_custom_function.py",
        "nn/two_layer_net_module.py",
        "nn/dynamic_net.py",
    ],
    "akamaster/pytorch_resnet_cifar10": ["resnet.py"],
    "jvanvugt/pytorch-unet": ["unet.py"],
    "yunjey/stargan": ["model.py"],
    "sgrvinod/a-PyTorch-Tutorial-to-Image-Captioning": ["models.py"],
    "facebookresearch/mae": ["models_mae.py"],
    "google-research/vision_transformer": ["vit_jax/models_vit.py", "vit_jax/models_mixer.py"],
    "AdeelH/pytorch-multi-class-focal-loss": ["focal_loss.py"],
    "seba-1511/lstms.pth": ["lstms/lstm.py", "lstms/normalize.py"],
    "1Konny/Beta-VAE": ["model.py"],
    "n2cholas/jax-resnet": ["jax_resnet/resnet.py", "jax_resnet/common.py"],
    "rasbt/python-machine-learning-book-3rd-edition": ["ch12/neuralnet.py"],
    "rasbt/LLMs-from-scratch": [
        "ch04/01_main-chapter-code/gpt.py",
        "pkg/llms_from_scratch/ch03.py",
    ],
    "digantamisra98/Mish": ["Mish/Torch/mish.py", "PyTorch Benchmarks/activations_autofn.py"],
    "0809zheng/CS231n-assignment2019": [
        "assignment1/cs231n/classifiers/neural_net.py",
        "assignment2/cs231n/classifiers/fc_net.py",
        "assignment2/cs231n/classifiers/cnn.py",
    ],
    "karpathy/micrograd": ["micrograd/engine.py", "micrograd/nn.py"],
    "gordicaleksa/pytorch-original-transformer": ["models/definitions/transformer_model.py"],
    "salesforce/awd-lstm-lm": ["model.py", "weight_drop.py"],
    "tkipf/pygcn": ["pygcn/layers.py"],
    "LynnHo/DCGAN-LSGAN-WGAN-GP-DRAGAN-Pytorch": ["module.py"],
    "Zeleni9/pytorch-wgan": ["models/dcgan.py"],
    "rohan-varma/nn-init-demo": ["init-demo.py", "batchnorm-demo.py"],
    "riberaborrell/playground-jax": [
        "src/playground_jax/models_flax.py",
        "src/playground_jax/models_equinox.py",
    ],
}
# A fifth wholly held-out set (round 5): no repository of PICKS or HELDOUT2-4 (nor
# any other snapshot fetched before it), none of its files ever run through
# chainlens before it was frozen here.
HELDOUT5 = {
    "graykode/nlp-tutorial": [
        "1-1.NNLM/NNLM.py",
        "2-1.TextCNN/TextCNN.py",
        "4-3.Bi-LSTM(Attention)/Bi-LSTM(Attention).py",
        "5-1.Transformer/Transformer.py",
    ],
    "cs230-stanford/cs230-code-examples": [
        "pytorch/vision/model/net.py",
        "pytorch/nlp/model/net.py",
    ],
    "facebookresearch/detr": [
        "models/transformer.py",
        "models/position_encoding.py",
        "models/detr.py",
    ],
    "facebookresearch/DiT": ["models.py"],
    "facebookresearch/dino": ["vision_transformer.py"],
    "ermongroup/ddim": ["models/diffusion.py"],
    "LeeJunHyun/Image_Segmentation": ["network.py"],
    "bearpaw/pytorch-classification": ["models/cifar/alexnet.py", "models/cifar/wrn.py"],
    "martinarjovsky/WassersteinGAN": ["models/dcgan.py", "models/mlp.py"],
    "wiseodd/generative-models": [
        "GAN/vanilla_gan/gan_pytorch.py",
        "VAE/vanilla_vae/vae_pytorch.py",
    ],
    "jihunchoi/recurrent-batch-normalization-pytorch": ["bnlstm.py"],
    "jaymody/picoGPT": ["gpt2.py"],
    "vzhou842/cnn-from-scratch": ["conv.py", "softmax.py"],
    "pangolulu/rnn-from-scratch": ["rnn.py"],
    "ultralytics/yolov5": ["utils/activations.py", "utils/loss.py"],
    "pbloem/former": ["former/transformers.py"],
    "google-deepmind/dm-haiku": ["examples/vae.py", "examples/transformer/model.py"],
    "cgarciae/nanoGPT-jax": ["model.py"],
    "YannDubs/disentangling-vae": [
        "disvae/models/encoders.py",
        "disvae/models/decoders.py",
        "disvae/models/vae.py",
    ],
    "usuyama/pytorch-unet": ["pytorch_unet.py"],
    "lazyprogrammer/machine_learning_examples": [
        "ann_class/backprop.py",
        "ann_class2/pytorch_example2.py",
    ],
    "mrdbourke/pytorch-deep-learning": ["going_modular/going_modular/model_builder.py"],
    "IvoOVerhoeven/uvadlc_practicals_2020": [
        "assignment_1/1_mlp_cnn/code/modules.py",
        "assignment_1/1_mlp_cnn/code/mlp_pytorch.py",
        "assignment_1/1_mlp_cnn/code/custom_layernorm.py",
        "assignment_2/2_recurrentnns_gnns/code/Part 1/lstm.py",
    ],
    "google-deepmind/nanodo": ["nanodo/model.py"],
}
# A sixth wholly held-out set (round 6): no repository of PICKS or HELDOUT2-5 (nor
# any other snapshot fetched before it), none of its files ever run through
# chainlens before it was frozen here.
HELDOUT6 = {
    "locuslab/TCN": ["TCN/tcn.py", "TCN/word_cnn/model.py", "TCN/char_cnn/model.py"],
    "Diego999/pyGAT": ["layers.py", "models.py"],
    "karpathy/llama2.c": ["model.py"],
    "HobbitLong/SupContrast": ["losses.py", "networks/resnet_big.py"],
    "adambielski/siamese-triplet": ["losses.py", "networks.py"],
    "IBM/pytorch-seq2seq": [
        "seq2seq/models/EncoderRNN.py",
        "seq2seq/models/DecoderRNN.py",
        "seq2seq/models/attention.py",
        "seq2seq/models/seq2seq.py",
    ],
    "lukemelas/EfficientNet-PyTorch": [
        "efficientnet_pytorch/model.py",
        "efficientnet_pytorch/utils.py",
    ],
    "zfjsail/gae-pytorch": ["gae/layers.py", "gae/model.py"],
    "timbmg/VAE-CVAE-MNIST": ["models.py"],
    "jaxony/unet-pytorch": ["model.py"],
    "d-li14/mobilenetv2.pytorch": ["models/imagenet/mobilenetv2.py"],
    "google-research/big_vision": [
        "big_vision/models/bit.py",
        "big_vision/models/mlp_mixer.py",
        "big_vision/models/vit.py",
    ],
    "udacity/deep-learning-v2-pytorch": [
        "intro-to-pytorch/fc_model.py",
        "project-bikesharing/my_answers.py",
    ],
    "SkalskiP/ILearnDeepLearning.py": [
        "01_mysteries_of_neural_networks/04_optimizers/fully_connected_nn.py",
        "01_mysteries_of_neural_networks/06_numpy_convolutional_neural_net/src/layers/dense.py",
        "01_mysteries_of_neural_networks/06_numpy_convolutional_neural_net/src/activation/relu.py",
    ],
    "labmlai/annotated_deep_learning_paper_implementations": [
        "labml_nn/lstm/__init__.py",
        "labml_nn/gan/original/__init__.py",
        "labml_nn/transformers/mha.py",
        "labml_nn/resnet/__init__.py",
    ],
    "parachutel/cs224n-stanford-winter2021": [
        "a4/nmt_model.py",
        "a4/model_embeddings.py",
        "a5/src/attention.py",
        "squad/baseline_modules.py",
    ],
    "iworldtong/cs231n-assignments": ["utils/rnn_layers.py", "assign1_two_layer_net.py"],
    "w86763777/pytorch-gan-collections": [
        "source/models/dcgan.py",
        "source/models/wgangp.py",
        "source/losses.py",
    ],
    "wendao/jax_is_all_you_need_to_learn": ["demos/mlp.py"],
}
# A seventh wholly held-out set (round 6, issue #12): no repository of PICKS or
# HELDOUT2-6 (nor any other snapshot fetched before it), chosen by what each file is
# (its path and a glance at its classes), none of its files ever run through
# chainlens before it was frozen here.
HELDOUT7 = {
    "karpathy/build-nanogpt": ["train_gpt2.py"],
    "hkproj/pytorch-transformer": ["model.py"],
    "hkproj/pytorch-llama": ["model.py"],
    "sooftware/attentions": ["attentions.py"],
    "keon/seq2seq": ["model.py"],
    "spro/practical-pytorch": [
        "char-rnn-classification/model.py",
        "char-rnn-generation/model.py",
        "seq2seq-translation/seq2seq-translation-batched.py",
    ],
    "prakashpandey9/Text-Classification-Pytorch": [
        "models/LSTM_Attn.py",
        "models/selfAttention.py",
        "models/RCNN.py",
    ],
    "Shawn1993/cnn-text-classification-pytorch": ["model.py"],
    "xternalz/WideResNet-pytorch": ["wideresnet.py"],
    "chengyangfu/pytorch-vgg-cifar10": ["vgg.py"],
    "huyvnphan/PyTorch_CIFAR10": ["cifar10_models/resnet.py", "cifar10_models/googlenet.py"],
    "deeplearningzerotoall/PyTorch": [
        "CNN/lab-10-X1-mnist_back_prop.py",
        "CNN/lab-11-3-mnist_cnn_class.py",
        "RNN/5-timeseries.py",
        "RNN/6-seq2seq.py",
    ],
    "patrickloeber/pytorchTutorial": [
        "12_activation_functions.py",
        "13_feedforward.py",
        "14_cnn.py",
    ],
    "ndrplz/ConvLSTM_pytorch": ["convlstm.py"],
    "happyjin/ConvGRU-pytorch": ["convGRU.py"],
    "lucidrains/minGRU-pytorch": ["minGRU_pytorch/minGRU.py", "minGRU_pytorch/minLSTM.py"],
    "ethanluoyc/pytorch-vae": ["vae.py"],
    "karpathy/pytorch-made": ["made.py"],
    "znxlwm/pytorch-generative-model-collections": ["GAN.py", "WGAN_GP.py", "infoGAN.py"],
    "Georgian4090/Vanishing-Gradient-Demonstrator": [
        "vgd/core/model.py",
        "vgd/core/activations.py",
    ],
    "omaraflak/Medium-Python-Neural-Network": ["fc_layer.py", "activation_layer.py"],
    "HDLiter-Self-Study/CMU-11785": [
        "my_solutions/HW1P1/mytorch/nn/activation.py",
        "my_solutions/HW1P1/mytorch/nn/linear.py",
        "my_solutions/HW1P1/models/mlp.py",
    ],
    "ddbourgin/numpy-ml": ["numpy_ml/neural_nets/activations/activations.py"],
    "matthias-wright/flaxmodels": [
        "flaxmodels/gpt2/gpt2.py",
        "flaxmodels/resnet/resnet.py",
        "flaxmodels/vgg/vgg.py",
    ],
}
# Round 8: an eighth wholly held-out set, repositories of no earlier split (nor any snapshot
# fetched before it), chosen by what the files are before any run.
HELDOUT8 = {
    "harvardnlp/annotated-transformer": ["the_annotated_transformer.py"],
    "tanelp/tiny-diffusion": ["ddpm.py", "positional_embeddings.py"],
    "cloneofsimo/minDiffusion": ["mindiffusion/unet.py", "superminddpm.py"],
    "dome272/Diffusion-Models-pytorch": ["modules.py"],
    "chenyaofo/pytorch-cifar-models": [
        "pytorch_cifar_models/resnet.py",
        "pytorch_cifar_models/vgg.py",
        "pytorch_cifar_models/vit.py",
    ],
    "moskomule/senet.pytorch": ["senet/se_module.py", "senet/se_resnet.py"],
    "graykode/gpt-2-Pytorch": ["GPT2/model.py"],
    "lucidrains/PaLM-pytorch": ["palm_pytorch/palm_pytorch.py"],
    "caogang/wgan-gp": ["gan_toy.py", "gan_mnist.py"],
    "christiancosgrove/pytorch-spectral-normalization-gan": [
        "model.py",
        "model_resnet.py",
        "spectral_normalization.py",
    ],
    "ritheshkumar95/pytorch-vqvae": ["modules.py"],
    "rosinality/vq-vae-2-pytorch": ["vqvae.py"],
    "SamLynnEvans/Transformer": ["Layers.py", "Sublayers.py", "Models.py", "Embed.py"],
    "JunMa11/SegLoss": ["losses_pytorch/dice_loss.py", "losses_pytorch/focal_loss.py"],
    "GunhoChoi/Kind-PyTorch-Tutorial": [
        "12_Semantic_Segmentation/UNet.py",
        "08_Simple_Char_RNN/Simple_Char_RNN.py",
        "09_GAN_LayerName_MultiGPU/GAN_LayerName_MultiGPU.py",
        "04_MNIST_CNN/MNIST_CNN_cpu.py",
        "06_Autoencoder_Model_Save/Autoencoder_Model_Save.py",
    ],
    "georgeyiasemis/Recurrent-Neural-Networks-from-scratch-using-PyTorch": [
        "rnncells.py",
        "rnnmodels.py",
    ],
    "frgfm/Holocron": [
        "holocron/nn/modules/activation.py",
        "holocron/nn/modules/loss.py",
        "holocron/models/segmentation/unet.py",
    ],
    "AuCson/PyTorch-Batch-Attention-Seq2seq": ["attentionRNN.py"],
    "ArshiaYousefnia/ml_test": ["MultiLayerPerceptron.py"],
    "vzhou842/neural-network-from-scratch": ["network.py"],
    "jariasf/CS231n": [
        "assignment1/cs231n/classifiers/neural_net.py",
        "assignment2/cs231n/layers.py",
        "assignment2/cs231n/classifiers/fc_net.py",
    ],
    "Jamez43/NN_From_Scratch": [
        "dense_layer.py",
        "sigmoid.py",
        "loss_functions.py",
        "softmax_and_categorical_crossentropy.py",
    ],
    "lucidrains/progen": ["progen_transformer/progen.py"],
    "aditKadepurkar/basic_diffusion_policy": ["diffusion/mlp_model.py"],
    "mansooralodhi/intervalAdjointSigAnalysis": ["src/model/train/neuralNet.py"],
}
# Round 9: a ninth wholly held-out set, repositories of no earlier split (nor any snapshot
# fetched before it, nor any notes source), chosen by what the files are before any run.
HELDOUT9 = {
    "openai/improved-diffusion": [
        "improved_diffusion/unet.py",
        "improved_diffusion/nn.py",
        "improved_diffusion/losses.py",
    ],
    "w86763777/pytorch-ddpm": ["model.py", "diffusion.py"],
    "google-research/vdm": ["model_vdm.py"],
    "meta-llama/llama": ["llama/model.py"],
    "kingoflolz/mesh-transformer-jax": ["mesh_transformer/layers.py"],
    "Artur-Galstyan/picoGPT": ["head.py", "bigram.py"],
    "srush/annotated-s4": ["s4/s4.py"],
    "ikostrikov/jaxrl": ["jaxrl/networks/common.py", "jaxrl/networks/critic_net.py"],
    "jaanli/variational-autoencoder": [
        "train_variational_autoencoder_pytorch.py",
        "train_variational_autoencoder_jax.py",
        "flow.py",
    ],
    "Schlumberger/joint-vae": ["jointvae/models.py"],
    "leftthomas/SRGAN": ["model.py", "loss.py"],
    "bamos/densenet.pytorch": ["densenet.py"],
    "szagoruyko/wide-residual-networks": ["pytorch/resnet.py"],
    "4uiiurz1/pytorch-nested-unet": ["archs.py", "losses.py"],
    "mateuszbuda/brain-segmentation-pytorch": ["unet.py", "loss.py"],
    "MaximumEntropy/Seq2Seq-PyTorch": ["model.py"],
    "kevinzakka/recurrent-visual-attention": ["modules.py", "model.py"],
    "mlech26l/ncps": ["ncps/torch/lstm.py", "ncps/torch/cfc_cell.py"],
    "seungeunrho/minimalRL": ["dqn.py", "ppo-lstm.py"],
    "bermanmaxim/LovaszSoftmax": ["pytorch/lovasz_losses.py"],
    "CoinCheung/pytorch-loss": [
        "pytorch_loss/swish.py",
        "pytorch_loss/mish.py",
        "pytorch_loss/frelu.py",
    ],
    "TheIndependentCode/Neural-Network": [
        "dense.py",
        "activations.py",
        "losses.py",
        "convolutional.py",
    ],
    "milanvarghese/LSTM-from-Scratch-using-Numpy": ["src/LSTM.py", "src/Activation.py"],
    "yolunghiu/pytorch": [
        "class/class4/02.grad_vanish_explod_tanh.py",
        "class/class4/03.grad_vanish_explod_relu.py",
        "class/class3/01.rmb/model/lenet.py",
    ],
}
# Round 10: a tenth wholly held-out set, repositories of no earlier split (nor any snapshot
# fetched before it, nor any notes source), chosen by what the files are before any run.
HELDOUT10 = {
    "openai/whisper": ["whisper/model.py"],
    "google/gemma_pytorch": ["gemma/model.py"],
    "joeynmt/joeynmt": [
        "joeynmt/encoders.py",
        "joeynmt/decoders.py",
        "joeynmt/attention.py",
        "joeynmt/transformer_layers.py",
    ],
    "abarankab/DDPM": ["ddpm/unet.py", "ddpm/diffusion.py"],
    "TeaPearce/Conditional_Diffusion_MNIST": ["script.py"],
    "yiyixuxu/denoising-diffusion-flax": ["denoising_diffusion_flax/unet.py"],
    "rosinality/glow-pytorch": ["model.py"],
    "kenshohara/3D-ResNets-PyTorch": ["models/resnet.py", "models/densenet.py"],
    "Cadene/pretrained-models.pytorch": [
        "pretrainedmodels/models/inceptionv4.py",
        "pretrainedmodels/models/senet.py",
    ],
    "yassouali/pytorch-segmentation": ["models/unet.py", "utils/losses.py"],
    "ajbrock/BigGAN-PyTorch": ["BigGAN.py", "layers.py", "losses.py"],
    "LukeDitria/CNN-VAE": ["RES_VAE.py"],
    "Zain-Mrza/gan_synthesis": [
        "src/gan_synthesis/mask_vae_models/vae.py",
        "src/gan_synthesis/model_utils/modules.py",
    ],
    "openai/spinningup": [
        "spinup/algos/pytorch/ppo/core.py",
        "spinup/algos/pytorch/sac/core.py",
    ],
    "vwxyzjn/cleanrl": [
        "cleanrl/ppo_continuous_action.py",
        "cleanrl/ppo_atari_lstm.py",
        "cleanrl/dqn_jax.py",
    ],
    "google-deepmind/dqn_zoo": ["dqn_zoo/networks.py"],
    "google-deepmind/gemma": ["gemma/gm/nn/_modules.py", "gemma/gm/nn/_layers.py"],
    "quark0/darts": ["rnn/model.py", "cnn/operations.py"],
    "salesforce/pytorch-qrnn": ["torchqrnn/qrnn.py", "torchqrnn/forget_mult.py"],
    "automan000/Convolutional_LSTM_PyTorch": ["convolution_lstm.py"],
    "facebookresearch/fvcore": [
        "fvcore/nn/focal_loss.py",
        "fvcore/nn/giou_loss.py",
        "fvcore/nn/squeeze_excitation.py",
    ],
    "joelgrus/joelnet": ["joelnet/layers.py", "joelnet/loss.py", "joelnet/nn.py"],
    "wiseodd/hipsternet": ["hipsternet/layer.py", "hipsternet/loss.py"],
    "Sentdex/nnfs_book": ["Chapter_9/Ch9_Final.py", "Chapter_16/Ch16_Final.py"],
    "maniwalunj03-bot/cifar10_vanishing_gradients.py": ["cifar10_vanishing_gradients.py"],
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


def build(repo, path, commit, lic, split, split_by):
    """Write one copy (cut to its model parts past MAX_LINES) and its sidecar."""
    key = f"{repo}/{path}"
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
    from model_deps import copy_deps  # its repository's modules it imports (model_files.py)

    copy_deps(repo, path, commit, split, slug)
    (OUT / split / (slug[:-3] + ".json")).write_text(
        json.dumps(
            {
                "repo": repo,
                "path": path,
                "commit": commit,
                "licence": lic,
                "cut_to_model_parts": was_cut,
                "split_by": split_by,
            },
            indent=1,
        )
        + "\n"
    )
    print(split, len(text.splitlines()), key)


assert not {(r, p) for r, ps in PICKS.items() for p in ps} & {
    (r, p) for r, ps in HELDOUT2.items() for p in ps
}, "a heldout2 file is already in PICKS"
# split -> (its files, what its sidecars say).  From heldout3 on each split's
# repositories are new: none of them is used by any split before it.
WHOLLY = "wholly held-out set: repositories of no earlier split, chosen before any run"
HELD = {
    "heldout2": (HELDOUT2, "fresh held-out set, round 3, chosen before any run"),
    "heldout3": (HELDOUT3, "third " + WHOLLY),
    "heldout4": (HELDOUT4, "fourth " + WHOLLY),
    "heldout5": (HELDOUT5, "fifth " + WHOLLY),
    "heldout6": (HELDOUT6, "sixth " + WHOLLY),
    "heldout7": (HELDOUT7, "seventh " + WHOLLY),
    "heldout8": (HELDOUT8, "eighth " + WHOLLY),
    "heldout9": (HELDOUT9, "ninth " + WHOLLY),
    "heldout10": (HELDOUT10, "tenth " + WHOLLY),
}
earlier = set(PICKS) | set(HELDOUT2)
for name, (picks, _) in list(HELD.items())[1:]:
    assert not set(picks) & earlier, f"a {name} repository is used already"
    earlier |= set(picks)
SPLITS = set(sys.argv[1:]) or {"dev", "heldout", *HELD}
for repo, paths in PICKS.items() if SPLITS & {"dev", "heldout"} else ():
    commit = git(repo, "rev-parse", "HEAD").strip()
    lic = licence(repo)
    for path in paths:
        h = hashlib.sha256(f"{repo}/{path}".encode()).digest()[0]
        split = "heldout" if h % 3 == 0 else "dev"
        build(repo, path, commit, lic, split, "sha256(repo/path)[0] % 3 == 0 -> heldout")
for name, (picks, split_by) in HELD.items():
    for repo, paths in picks.items() if name in SPLITS else ():
        commit = git(repo, "rev-parse", "HEAD").strip()
        lic = licence(repo)
        for path in paths:
            build(repo, path, commit, lic, name, split_by)
