# The official SANE network (gpt2 variant, sane-spec §4) written from the spec in plain PyTorch:
# the oracle our C++ port is compared with. Module and parameter names follow §4.3.
import math
import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm(nn.Module):  # nanoGPT LayerNorm(bias=False)
    def __init__(self, d):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(d))

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, None, 1e-5)


class SelfAttention(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.c_attn = nn.Linear(d, 3 * d, bias=False)
        self.c_proj = nn.Linear(d, d, bias=False)
        self.heads = heads

    def forward(self, x):
        B, T, C = x.shape
        q, k, v = self.c_attn(x).split(C, dim=2)
        q, k, v = [t.view(B, T, self.heads, C // self.heads).transpose(1, 2) for t in (q, k, v)]
        att = torch.softmax(q @ k.transpose(-2, -1) / math.sqrt(C // self.heads), dim=-1)
        return self.c_proj((att @ v).transpose(1, 2).contiguous().view(B, T, C))


class MLP(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.c_fc = nn.Linear(d, 4 * d, bias=False)
        self.c_proj = nn.Linear(4 * d, d, bias=False)

    def forward(self, x):
        return self.c_proj(F.gelu(self.c_fc(x)))


class Block(nn.Module):
    def __init__(self, d, heads):
        super().__init__()
        self.ln_1, self.attn, self.ln_2, self.mlp = LayerNorm(d), SelfAttention(d, heads), LayerNorm(d), MLP(d)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))
        return x + self.mlp(self.ln_2(x))


class Transformer(nn.Module):
    def __init__(self, d, heads, layers):
        super().__init__()
        self.transformer = nn.ModuleList([Block(d, heads) for _ in range(layers)])

    def forward(self, x):
        for block in self.transformer:
            x = block(x)
        return x


class PositionEmbs(nn.Module):
    def __init__(self, sizes, d):
        super().__init__()
        self.pe1, self.pe2, self.pe3 = (nn.Embedding(s, d // 2) for s in sizes)

    def forward(self, x, p):
        p = p.long()
        return x + torch.cat([self.pe1(p[..., 0]) + self.pe2(p[..., 1]), self.pe3(p[..., 2])], dim=-1)


class ProjectionHead(nn.Module):
    def __init__(self, inputs, width=30):
        super().__init__()
        self.head = nn.Sequential(nn.Linear(inputs, width, bias=False), nn.LayerNorm(width), nn.ReLU(),
                                  nn.Linear(width, width, bias=False), nn.LayerNorm(width), nn.ReLU())

    def forward(self, z):
        return self.head(z.flatten(1))


class SANE(nn.Module):
    def __init__(self, i_dim, d_model, nhead, num_layers, lat_dim, max_positions, windowsize):
        super().__init__()
        self.tokenizer = nn.Linear(i_dim, d_model)
        self.transformer_encoder = Transformer(d_model, nhead, num_layers)
        self.encoder_comp = nn.Linear(d_model, lat_dim)
        self.detokenizer = nn.Linear(d_model, i_dim)
        self.transformer_decoder = Transformer(d_model, nhead, num_layers)
        self.decoder_comp = nn.Linear(lat_dim, d_model)
        self.pe = PositionEmbs(max_positions, d_model)
        self.projection_head = ProjectionHead(windowsize * lat_dim)

    def forward_encoder(self, x, p):
        return self.encoder_comp(self.transformer_encoder(self.pe(self.tokenizer(x), p)))

    def forward_decoder(self, z, p):
        return self.detokenizer(self.transformer_decoder(self.pe(self.decoder_comp(z), p)))

    def forward_embeddings(self, x, p):  # §6.1: full sequence, mean over tokens
        return self.forward_encoder(x, p).mean(dim=1)


def from_params(params):
    return SANE(params["ae:i_dim"], params["ae:d_model"], params["ae:nhead"], params["ae:num_layers"],
                params["ae:lat_dim"], params["ae:max_positions"], params["training::windowsize"])
