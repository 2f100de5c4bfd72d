#!/usr/bin/env python3
# bench/coldstart/make_b32_clip.py SRC OUT — see bench/coldstart/measure.sh.
# ViT-B/32-shaped CLIP: vision tensors from the peers-cache model, a full 12x512 text tower added.
import json, struct, random, array, shutil, os, math
import sys
src=sys.argv[1]; out=sys.argv[2]  # src: bench/peers' vit-b32 model folder (build/peers-cache/vit-b32/model)
os.makedirs(out, exist_ok=True)
f=open(src+'/model.safetensors','rb'); n=struct.unpack('<Q',f.read(8))[0]; h=json.loads(f.read(n)); base=8+n
random.seed(7)
pool=array.array('f',[random.gauss(0,0.02) for _ in range(1<<20)])
pb=pool.tobytes()
def rnd(count):
    out=bytearray(); need=count*4
    while len(out)<need:
        s=random.randrange(0,len(pb)//4)*4; out+=pb[s:s+need-len(out)]
    return bytes(out)
D,I,L,V,P,PROJ=512,2048,12,49408,77,512
text={}
def add(name,shape,kind='r'):
    cnt=math.prod(shape)
    if kind=='one': text[name]=(shape,array.array('f',[1.0]*cnt).tobytes())
    elif kind=='zero': text[name]=(shape,bytes(4*cnt))
    else: text[name]=(shape,rnd(cnt))
add('text_model.embeddings.token_embedding.weight',[V,D]); add('text_model.embeddings.position_embedding.weight',[P,D])
add('text_model.final_layer_norm.weight',[D],'one'); add('text_model.final_layer_norm.bias',[D],'zero')
add('text_projection.weight',[PROJ,D])
for l in range(L):
    p=f'text_model.encoder.layers.{l}.'
    for pr in ('q_proj','k_proj','v_proj','out_proj'):
        add(p+f'self_attn.{pr}.weight',[D,D]); add(p+f'self_attn.{pr}.bias',[D])
    for ln in ('layer_norm1','layer_norm2'):
        add(p+ln+'.weight',[D],'one'); add(p+ln+'.bias',[D],'zero')
    add(p+'mlp.fc1.weight',[I,D]); add(p+'mlp.fc1.bias',[I]); add(p+'mlp.fc2.weight',[D,I]); add(p+'mlp.fc2.bias',[D])
tensors={}
for k,v in h.items():
    if k=='__metadata__' or k.startswith('text_model.') or k=='text_projection.weight': continue
    f.seek(base+v['data_offsets'][0]); tensors[k]=(v['shape'],f.read(v['data_offsets'][1]-v['data_offsets'][0]))
tensors.update(text)
header={}; off=0
for k in sorted(tensors):
    s,b=tensors[k]; header[k]={'dtype':'F32','shape':s,'data_offsets':[off,off+len(b)]}; off+=len(b)
raw=json.dumps(header,separators=(',',':')).encode(); raw+=b' '*(-len(raw)%8)
with open(out+'/model.safetensors','wb') as o:
    o.write(struct.pack('<Q',len(raw))); o.write(raw)
    for k in sorted(tensors): o.write(tensors[k][1])
c=json.load(open(src+'/config.json'))
c['text_config'].update(hidden_size=D,intermediate_size=I,num_hidden_layers=L,num_attention_heads=8)
json.dump(c,open(out+'/config.json','w'),indent=1)
for nme in os.listdir(src):
    if nme not in ('config.json','model.safetensors'): shutil.copyfile(src+'/'+nme,out+'/'+nme)
